// Unit tests of the page's maps links (no browser: places.js is plain logic).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapsLink, opensInBrowser } from '../app/places.js';

const kIphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15';
const kAndroid = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile';
const kLinux = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120';
const kAddress = '12 rue de la Paix, 75002 Paris';

test('Apple devices open Apple Maps, with the pin where the job is', () => {
  assert.equal(mapsLink(kAddress, 48.8686, 2.3314, kIphone),
               'https://maps.apple.com/?q=12%20rue%20de%20la%20Paix%2C%2075002%20Paris&ll=48.8686,2.3314');
  assert.equal(mapsLink(kAddress, null, null, kIphone),
               'https://maps.apple.com/?q=12%20rue%20de%20la%20Paix%2C%2075002%20Paris');
});

test('Android gets a geo: URI, which offers its maps apps', () => {
  assert.equal(mapsLink(kAddress, 48.8686, 2.3314, kAndroid),
               'geo:48.8686,2.3314?q=48.8686,2.3314(12%20rue%20de%20la%20Paix%2C%2075002%20Paris)');
  assert.equal(mapsLink(kAddress, undefined, undefined, kAndroid),
               'geo:0,0?q=12%20rue%20de%20la%20Paix%2C%2075002%20Paris');
  assert.equal(opensInBrowser(mapsLink(kAddress, 1, 2, kAndroid)), false);
});

test('elsewhere, OpenStreetMap: at the coordinates, or a search for the address', () => {
  assert.equal(mapsLink(kAddress, 48.8686, 2.3314, kLinux),
               'https://www.openstreetmap.org/?mlat=48.8686&mlon=2.3314#map=17/48.8686/2.3314');
  assert.equal(mapsLink('Place & Co <b>', null, null, kLinux),
               'https://www.openstreetmap.org/search?query=Place%20%26%20Co%20%3Cb%3E');
  assert.equal(opensInBrowser(mapsLink(kAddress, null, null, kLinux)), true);
});
