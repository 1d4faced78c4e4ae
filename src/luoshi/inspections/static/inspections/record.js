// 现场检查: fill the inspector's position if the phone allows it (never required).
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.geolocation || !document.getElementById("lat")) return;
  navigator.geolocation.getCurrentPosition(function (p) {
    document.getElementById("lat").value = p.coords.latitude.toFixed(6);
    document.getElementById("lon").value = p.coords.longitude.toFixed(6);
    document.getElementById("pos").textContent = "位置:" + p.coords.latitude.toFixed(5) + ", " + p.coords.longitude.toFixed(5);
  }, function () {}, {timeout: 5000});
});
