import type { CoreTranslation, Relaxed } from '../localize.js';

export const vi: Relaxed<CoreTranslation> = {
  $code: 'vi',
  $locale: 'vi-VN',
  loading: 'Đang tải…',
  errorNetwork: 'Không thể kết nối tới máy chủ. Vui lòng kiểm tra mạng.',
  errorTimeout: 'Máy chủ phản hồi quá lâu. Vui lòng thử lại sau.',
  errorServer: 'Máy chủ đang gặp sự cố. Vui lòng thử lại sau.',
  errorBadResponse: 'Máy chủ trả về dữ liệu không hợp lệ.',
  errorRateLimited: 'Quá nhiều yêu cầu.',
  retryLater: 'Vui lòng thử lại sau.',
  errorNotFound: 'Không tìm thấy dữ liệu.',
  errorGeneric: 'Đã xảy ra lỗi. Vui lòng thử lại sau.',
  retryIn: 'Thử lại sau %{count} giây.',
};
