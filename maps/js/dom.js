/* The one way the page code makes DOM nodes. Untrusted text (titles, notes,
 * sources) only ever reaches the DOM as textContent or a text node; nothing
 * assigns data to innerHTML. */

export function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) { node.className = cls; }
  if (text !== undefined && text !== null) { node.textContent = String(text); }
  return node;
}
