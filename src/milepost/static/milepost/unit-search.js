// Unit drop-downs too large to draw whole (accounts/unit_fields.py) carry data-unit-search:
// add a search box before each that fetches matching units as you type and offers them in
// the drop-down, keeping the chosen ones. Without JavaScript the top of the chart is offered.
(function () {
  "use strict";

  function optionFor(unit, key) {
    var option = document.createElement("option");
    option.value = String(key === "code" ? unit.code : unit.id);
    option.textContent = unit.label;
    return option;
  }

  function attach(select, index) {
    var box = document.createElement("input");
    box.type = "search";
    box.id = (select.id || "unit-select-" + index) + "-search";
    box.setAttribute("aria-controls", select.id || "");
    box.setAttribute("autocomplete", "off");
    box.placeholder = "Type 2 letters of a unit's name or code";
    var label = document.createElement("label");
    label.htmlFor = box.id;
    label.textContent = "Search units (only the top " + select.dataset.unitLimit + " are listed)";
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(box, select);
    var timer = null;
    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var query = box.value.trim();
        if (query.length < 2) {
          return;
        }
        var url = select.dataset.unitSearch + "?q=" + encodeURIComponent(query);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            var keep = Array.prototype.filter.call(select.options, function (option) {
              return option.selected || option.value === "";
            });
            var seen = {};
            select.innerHTML = "";
            keep.forEach(function (option) { seen[option.value] = true; select.appendChild(option); });
            var key = select.dataset.unitKey;
            data.results.forEach(function (unit) {
              var option = optionFor(unit, key);
              if (!seen[option.value]) {
                select.appendChild(option);
              }
            });
          });
      }, 250);
    });
  }

  document.querySelectorAll("select[data-unit-search]").forEach(attach);
})();
