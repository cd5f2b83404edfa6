/**
 * Markup built by a tagged template that escapes every interpolated value unless it is already markup
 * (SafeHtml). The report prints names, explanations and feature names that came from users and data files,
 * so escaping is the default and forgetting it is impossible rather than a review item.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Markup that is already safe to emit as it is. */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type HtmlPart = SafeHtml | string | number | boolean | null | undefined | readonly HtmlPart[];

function render(part: HtmlPart): string {
  if (part instanceof SafeHtml) return part.html;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false || part === true) return '';
  return escapeHtml(String(part));
}

/** html`<td>${text}</td>`: strings and numbers are escaped, SafeHtml and arrays of it are inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlPart[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Joins parts (escaping strings) into one piece of markup. */
export function join(parts: readonly HtmlPart[], separator: SafeHtml | string = ''): SafeHtml {
  return new SafeHtml(parts.map(render).join(render(separator)));
}
