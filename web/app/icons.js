// Line icons drawn here rather than emoji, which not every system has a font for.
const kSvg = 'http://www.w3.org/2000/svg';

const shapes = {
  call: [['path', { d: 'M6 3h3l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v3a2 2 0 0 1-2 2A16 16 0 0 1 4 5a2 2 0 0 1 2-2z' }]],
  photo: [['rect', { x: 3, y: 7, width: 18, height: 13, rx: 2 }], ['path', { d: 'M8 7l2-3h4l2 3' }],
          ['circle', { cx: 12, cy: 13.5, r: 3.5 }]],
  voice: [['rect', { x: 9, y: 3, width: 6, height: 11, rx: 3 }], ['path', { d: 'M5 11a7 7 0 0 0 14 0M12 18v3M8 21h8' }]],
  stop: [['rect', { x: 6, y: 6, width: 12, height: 12, rx: 1 }]],
  file: [['path', { d: 'M20 11l-8 8a5 5 0 0 1-7-7l8.5-8.5a3.5 3.5 0 0 1 5 5L10 17a2 2 0 0 1-3-3l7.5-7.5' }]],
  location: [['path', { d: 'M12 21s-7-6.5-7-12a7 7 0 0 1 14 0c0 5.5-7 12-7 12z' }], ['circle', { cx: 12, cy: 9, r: 2.5 }]],
  film: [['rect', { x: 3, y: 3, width: 18, height: 18, rx: 2 }], ['path', { d: 'M7 3v18M17 3v18M3 8h4M3 16h4M17 8h4M17 16h4' }]],
  video: [['rect', { x: 2, y: 6, width: 14, height: 12, rx: 2 }], ['path', { d: 'M16 10l6-3v10l-6-3z' }]],
};

export function icon(name) {
  const svg = document.createElementNS(kSvg, 'svg');
  for (const [key, value] of Object.entries({ viewBox: '0 0 24 24', width: 20, height: 20, fill: 'none',
    stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
    'aria-hidden': 'true', class: 'icon' })) svg.setAttribute(key, value);
  for (const [tag, attributes] of shapes[name]) {
    const part = document.createElementNS(kSvg, tag);
    for (const [key, value] of Object.entries(attributes)) part.setAttribute(key, value);
    svg.append(part);
  }
  return svg;
}
