// Builds elements without HTML strings, so text from the network is never parsed as markup.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// The tab's title: what is unread first, as chat pages do, so it shows in a row of tabs.
export function setTitle(unread = 0, name = '') {
  document.title = `${unread > 0 ? `(${unread}) ` : ''}${name ? `${name} · ` : ''}fieldlink`;
}

// Text with its web addresses made links (http and https only, so nothing else can run),
// opening in a new tab; punctuation that ends a sentence stays out of the address.
const kWebAddress = /\bhttps?:\/\/[^\s<>"]+/g;
export function withLinks(text) {
  const parts = [];
  let from = 0;
  for (const found of text.matchAll(kWebAddress)) {
    const address = found[0].replace(/[.,;:!?)\]'»]+$/, '');
    parts.push(text.slice(from, found.index),
               h('a', { href: address, target: '_blank', rel: 'noopener noreferrer' }, address));
    from = found.index + address.length;
  }
  parts.push(text.slice(from));
  return parts.filter((part) => part !== '');
}
