(function () {
  var form = document.getElementById("filters");
  if (!form) { return; }
  var boxes = form.querySelectorAll("input[name=verdict]");
  var items = document.querySelectorAll(".subject-row, section.subject");
  var shown = document.getElementById("shown");
  var rows = document.querySelectorAll(".subject-row").length;
  function apply() {
    var show = {};
    boxes.forEach(function (box) { show[box.value] = box.checked; });
    var count = 0;
    items.forEach(function (item) {
      var visible = show[item.getAttribute("data-verdict")] === true;
      item.classList.toggle("filtered-out", !visible);
      if (visible && item.tagName === "TR") { count += 1; }
    });
    shown.textContent = "Showing " + count + " of " + rows + " subjects.";
  }
  form.addEventListener("change", apply);
  document.getElementById("show-all").addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = true; });
    apply();
  });
  form.hidden = false;
  apply();
  document.documentElement.setAttribute("data-filters", "ready");
})();
