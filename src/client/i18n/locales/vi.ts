import type { Translation } from '../localize.js';

export const vi: Translation = {
  $code: 'vi',
  $locale: 'vi-VN',
  loading: 'Đang tải…',
  visitsTotal: 'Số lượt truy cập',
  visitsToday: 'Hôm nay',
  visitsMonth: 'Tháng này',
  visitsOnline: 'Đang online',
  errorNetwork: 'Không thể kết nối tới máy chủ. Vui lòng kiểm tra mạng.',
  errorTimeout: 'Máy chủ phản hồi quá lâu. Vui lòng thử lại sau.',
  errorServer: 'Máy chủ đang gặp sự cố. Vui lòng thử lại sau.',
  errorBadResponse: 'Máy chủ trả về dữ liệu không hợp lệ.',
  errorRateLimited: 'Quá nhiều yêu cầu.',
  retryLater: 'Vui lòng thử lại sau.',
  errorNotFound: 'Không tìm thấy dữ liệu.',
  errorGeneric: 'Đã xảy ra lỗi. Vui lòng thử lại sau.',
  retryIn: { one: 'Thử lại sau %{count} giây.', other: 'Thử lại sau %{count} giây.' },
};
