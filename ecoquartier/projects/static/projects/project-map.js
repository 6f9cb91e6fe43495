// Progressive enhancement: a Leaflet map that shows a project's point, and on the project form
// lets the user pick it. Loaded only when MAP_TILES_URL is set; without JavaScript or tiles the
// latitude and longitude fields work on their own. No inline script: CSP forbids it.
(function () {
  "use strict";
  if (typeof window.L === "undefined") return;

  var FRANCE = [46.6, 2.4];

  function readPoint(latitude, longitude) {
    var lat = parseFloat(String(latitude).replace(",", "."));
    var lon = parseFloat(String(longitude).replace(",", "."));
    if (isNaN(lat) || isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    return [lat, lon];
  }

  function setUpMap(element) {
    var data = element.dataset;
    var latInput = data.latitudeInput ? document.getElementById(data.latitudeInput) : null;
    var lonInput = data.longitudeInput ? document.getElementById(data.longitudeInput) : null;
    var point = latInput
      ? readPoint(latInput.value, lonInput.value)
      : readPoint(data.latitude, data.longitude);

    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false }).setView(point || FRANCE, point ? 15 : 5);
    L.tileLayer(data.tilesUrl, { attribution: data.attribution || "", maxZoom: 19 }).addTo(map);
    var marker = point ? L.marker(point).addTo(map) : null;
    if (!latInput || !lonInput) return;

    function place(latlng) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng).addTo(map);
    }

    map.on("click", function (event) {
      var latlng = event.latlng.wrap();
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      place(latlng);
    });

    function onInput() {
      var typed = readPoint(latInput.value, lonInput.value);
      if (typed) {
        place(typed);
        map.panTo(typed);
      }
    }
    latInput.addEventListener("change", onInput);
    lonInput.addEventListener("change", onInput);
  }

  document.querySelectorAll("[data-project-map]").forEach(setUpMap);
})();
