// An object URL for base64 image bytes (the CSP allows images from 'self' and blob: only, not data: URLs); revoked
// when the bytes change or the component unmounts.
import { useEffect, useMemo, type ImgHTMLAttributes } from 'react';
import { base64ToBlobUrl } from '../../camera';

export function useBlobUrl(base64: string | null | undefined, type: string): string | null {
  const url = useMemo(() => (base64 ? base64ToBlobUrl(base64, type) : null), [base64, type]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url;
}

/** An <img> of base64 bytes. */
export function Base64Image({ base64, type, ...rest }: { base64: string; type: string } & Omit<ImgHTMLAttributes<HTMLImageElement>, 'src'>) {
  const url = useBlobUrl(base64, type);
  return url ? <img src={url} {...rest} /> : null;
}
