/* The optional map of the report form and the case page (cases/maps.py): Leaflet, tiles from the configured
   server, a tap or click sets the point into the form's 纬度/经度 fields; typed values move the marker. */
(function () {
  "use strict";
  var el = document.getElementById("case-map");
  var data = document.getElementById("case-map-config");
  if (!el || !data || typeof L === "undefined") { return; }
  var cfg = JSON.parse(data.textContent);
  var lat = document.getElementById("id_lat");
  var lng = document.getElementById("id_long");
  var start = cfg.point || cfg.center;
  var map = L.map(el, {center: start, zoom: cfg.point ? Math.max(cfg.zoom, 15) : cfg.zoom, maxZoom: cfg.maxZoom,
                       tap: true});
  L.tileLayer(cfg.tiles, {maxZoom: cfg.maxZoom, attribution: cfg.attribution}).addTo(map);
  map.attributionControl.setPrefix(false);
  var marker = null;
  function mark(p) {
    if (marker) { marker.setLatLng(p); }
    else { marker = L.circleMarker(p, {radius: 9, color: "#b91c1c", weight: 3, fillOpacity: 0.4}).addTo(map); }
  }
  if (cfg.point) { mark(cfg.point); }
  if (!cfg.pick || !lat || !lng) { return; }
  function typed() {
    var a = parseFloat(lat.value), b = parseFloat(lng.value);
    if (isFinite(a) && isFinite(b) && a >= -90 && a <= 90 && b >= -180 && b <= 180) { mark([a, b]); map.panTo([a, b]); }
  }
  if (lat.value && lng.value) { typed(); }
  map.on("click", function (e) {
    var p = e.latlng.wrap();
    lat.value = p.lat.toFixed(6);
    lng.value = p.lng.toFixed(6);
    mark(p);
    el.setAttribute("data-picked", lat.value + "," + lng.value);
  });
  lat.addEventListener("change", typed);
  lng.addEventListener("change", typed);
}());
