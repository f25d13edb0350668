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
