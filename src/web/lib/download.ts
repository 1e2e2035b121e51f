import type { ErrorCode } from '../../shared/errors.ts';
import { ApiError } from './api.ts';

function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1] ?? fallback;
}

/**
 * Fetches a file from the API (CSV, XLSX …) and hands it to the browser as a download, named as
 * the server says (`content-disposition`) or `fallbackName`. API errors become an `ApiError`.
 */
export async function downloadFile(
  path: string,
  init: RequestInit,
  fallbackName: string,
): Promise<{ name: string; size: number }> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...init });
  } catch (err) {
    throw new ApiError('network_error', err instanceof Error ? err.message : 'Network error', 0);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: { code: ErrorCode; message: string; details?: { path: string; message: string }[] };
    } | null;
    if (body?.error?.code)
      throw new ApiError(body.error.code, body.error.message, response.status, body.error.details ?? []);
    throw new ApiError('internal_error', `HTTP ${response.status}`, response.status);
  }
  const blob = await response.blob();
  const name = fileNameOf(response, fallbackName);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { name, size: blob.size };
}
