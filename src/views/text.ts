/** Text helpers the views share for what they draw and export. */

const XML_ESCAPES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;'
};

/** Text with the characters that cannot appear as themselves in SVG text and attributes escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, c => XML_ESCAPES[c]);
}

/** Text cut to `max` characters, the last one an ellipsis. */
export function elide(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
