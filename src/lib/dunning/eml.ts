/**
 * A dunning e-mail as a `.eml` file (RFC 5322 + MIME), to open in the user's mail program as a draft
 * (`X-Unsent: 1`: Outlook and Thunderbird open it ready to send). UTF-8 throughout: the subject as an
 * encoded word (RFC 2047), the body in base64, lines ending CRLF.
 */

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** An RFC 5322 date, in UTC (the device's zone is not needed to be correct). */
function rfcDate(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** A header value: as is when plain ASCII, else one RFC 2047 encoded word. */
function headerText(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${base64Utf8(clean)}?=`;
}

export function emlMessage(m: { to?: string; subject: string; body: string; date?: Date }): string {
  const body = base64Utf8(m.body.replace(/\r?\n/g, '\r\n')).replace(/.{1,76}/g, '$&\r\n');
  return [
    'MIME-Version: 1.0',
    `Date: ${rfcDate(m.date ?? new Date())}`,
    `To: ${headerText(m.to ?? '')}`,
    `Subject: ${headerText(m.subject)}`,
    'X-Unsent: 1',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    body,
  ].join('\r\n');
}
