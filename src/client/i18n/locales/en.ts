import type { CoreTranslation } from '../localize.js';

export const en: CoreTranslation = {
  $code: 'en',
  $locale: 'en-US',
  loading: 'Loading…',
  errorNetwork: 'Cannot reach the server. Please check your connection.',
  errorTimeout: 'The server took too long to respond. Please try again later.',
  errorServer: 'The server has a problem. Please try again later.',
  errorBadResponse: 'The server sent an invalid response.',
  errorRateLimited: 'Too many requests.',
  retryLater: 'Please try again later.',
  errorNotFound: 'Nothing was found.',
  errorGeneric: 'Something went wrong. Please try again later.',
  retryIn: { one: 'Try again in %{count} second.', other: 'Try again in %{count} seconds.' },
};
