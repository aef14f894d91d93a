// The files of a packaged chart (`charts/<name>-<version>.tgz`, as `helm dependency build` leaves them): a
// gzipped tar archive, read in memory. Only the members `keep` accepts are decoded; an archive that is too
// large, truncated or not a tar yields what was read before the damage (nothing runs, nothing is written).
import { gunzipSync } from 'node:zlib';

const BLOCK = 512;
/** Larger archives are not charts a linter should unpack while someone types. */
export const MAX_ARCHIVE_BYTES = 10 * 1024 * 1024;
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
const MAX_MEMBER_BYTES = 1024 * 1024;

/** The text of the archive's regular files whose paths `keep` accepts, by path. */
export function readTarGz(data: Uint8Array, keep: (path: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  if (data.length > MAX_ARCHIVE_BYTES) return out;
  let tar: Uint8Array;
  try {
    tar = gunzipSync(data, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch {
    return out;
  }
  const text = new TextDecoder();
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= tar.length; ) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12) || '0', 8);
    if (!Number.isFinite(size) || size < 0) break;
    const type = String.fromCharCode(header[156] || 48);
    const body = tar.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      // A PAX header: its `path` record names the next member.
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text.decode(body))?.[1] ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = field(body, 0, body.length);
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    if (type === '0' && size <= MAX_MEMBER_BYTES && body.length === size && keep(name)) out.set(name, text.decode(body));
  }
  return out;
}

/** A NUL-terminated header field as text. */
function field(block: Uint8Array, start: number, length: number): string {
  const bytes = block.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end)).trim();
}
