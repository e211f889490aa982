/** URI helpers every adapter and the analyzer share. */

export function dirnameUri(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/'));
}

export function baseNameOfUri(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}
