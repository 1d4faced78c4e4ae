// 现场检查: fill the inspector's position if the phone allows it (never required); show an item's
// 问题说明 / 严重程度 / 转效能投诉 / 提出问责建议 / 涉及人员 only when 存在问题 is chosen (without script all show).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("fieldset.check-item").forEach(function (fs) {
    var box = fs.querySelector(".problem");
    if (!box) return;
    function sync() {
      var chosen = fs.querySelector("input[type=radio]:checked");
      var problem = !!(chosen && chosen.value === "problem");
      box.hidden = !problem;
      // a hidden tick or name is not sent (it would be refused for an item not answered 存在问题)
      box.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !problem; });
    }
    fs.querySelectorAll("input[type=radio]").forEach(function (r) { r.addEventListener("change", sync); });
    sync();
  });
  if (!navigator.geolocation || !document.getElementById("lat")) return;
  navigator.geolocation.getCurrentPosition(function (p) {
    document.getElementById("lat").value = p.coords.latitude.toFixed(6);
    document.getElementById("lon").value = p.coords.longitude.toFixed(6);
    document.getElementById("pos").textContent = "位置:" + p.coords.latitude.toFixed(5) + ", " + p.coords.longitude.toFixed(5);
  }, function () {}, {timeout: 5000});
});
