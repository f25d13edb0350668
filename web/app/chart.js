// A small bar chart drawn as SVG: messages per hour over the last hours (the dashboard's
// messages_per_hour). Each bar has its own title (hover, and screen readers), and the whole
// chart a label that says the total and the busiest hour.
import { t } from './i18n.js';
import { clockTime } from './when.js';

const kSvg = 'http://www.w3.org/2000/svg';
const kWidth = 480;
const kHeight = 120;
const kAxis = 18;  // room under the bars for the hours

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(kSvg, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

// points: [{hour, messages}], oldest first.
export function hourlyChart(points) {
  const most = Math.max(1, ...points.map((p) => p.messages));
  const total = points.reduce((sum, p) => sum + p.messages, 0);
  const busiest = points.reduce((best, p) => (p.messages > (best?.messages ?? -1) ? p : best), null);
  const label = t('chart_label', {
    total, hours: points.length,
    busiest: busiest && busiest.messages ? clockTime(new Date(busiest.hour)) : '—',
  });
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${kWidth} ${kHeight}`, role: 'img', 'aria-label': label });
  const step = kWidth / Math.max(1, points.length);
  points.forEach((p, i) => {
    const height = Math.round(((kHeight - kAxis) * p.messages) / most);
    const bar = svg('rect', { x: (i * step + 1).toFixed(1), y: kHeight - kAxis - height,
                              width: Math.max(1, step - 2).toFixed(1), height, class: 'bar',
                              'data-messages': p.messages },
                    svg('title', {}, t('chart_bar', { at: clockTime(new Date(p.hour)), count: p.messages })));
    chart.append(bar);
    // An hour written under every sixth bar, counted from the newest (which ends at the
    // right edge, so its hour does too).
    const fromNewest = points.length - 1 - i;
    if (fromNewest % 6 === 0) {
      const last = fromNewest === 0;
      chart.append(svg('text', { x: (last ? kWidth : i * step + step / 2).toFixed(1), y: kHeight - 4,
                                 'text-anchor': last ? 'end' : 'middle', class: 'tick' },
                       clockTime(new Date(p.hour))));
    }
  });
  return chart;
}
