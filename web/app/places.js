// Where a link to a place goes: the maps app of the platform the page runs on. Apple's
// devices open Apple Maps from maps.apple.com links; Android offers its maps apps for a geo:
// URI (RFC 5870, with Android's q= search); elsewhere, OpenStreetMap in a new tab.

// `userAgent`: navigator.userAgent; coordinates, when known, place the pin exactly.
export function mapsLink(address, latitude, longitude, userAgent) {
  const located = Number.isFinite(latitude) && Number.isFinite(longitude);
  const query = encodeURIComponent(address);
  if (/iPhone|iPad|iPod|Macintosh/.test(userAgent)) {
    return `https://maps.apple.com/?q=${query}${located ? `&ll=${latitude},${longitude}` : ''}`;
  }
  if (/Android/.test(userAgent)) {
    return located ? `geo:${latitude},${longitude}?q=${latitude},${longitude}(${query})` : `geo:0,0?q=${query}`;
  }
  return located
    ? `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`
    : `https://www.openstreetmap.org/search?query=${query}`;
}

// Whether the link leaves the page for a web site (opened in a new tab) rather than an app.
export function opensInBrowser(link) {
  return link.startsWith('https:');
}
