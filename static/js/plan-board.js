// The group plan's board: drag a pupil onto a subgroup to place them there. Without
// JavaScript the buttons and the "Move" button next to each pupil do the same.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Texts are saved with a button: warn before leaving a page with typed, unsaved text.
  let unsaved = false;
  document.addEventListener("input", function (event) {
    // `form` also finds the form of a field that sits outside it (form="…").
    const form = event.target.form;
    if (form && form.hasAttribute("data-texts")) unsaved = true;
  });
  document.addEventListener("submit", function () {
    unsaved = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved) event.preventDefault();
  });

  function zoneOf(event) {
    const zone = event.target.closest && event.target.closest("[data-drop]");
    return zone && zone.dataset.drop ? zone : null;
  }

  document.addEventListener("dragstart", function (event) {
    const chip = event.target.closest && event.target.closest("[data-pupil][draggable=true]");
    if (!chip) return;
    event.dataTransfer.setData("text/plain", chip.dataset.pupil);
    event.dataTransfer.effectAllowed = "move";
  });

  document.addEventListener("dragover", function (event) {
    const zone = zoneOf(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.add("drop-over");
  });

  document.addEventListener("dragleave", function (event) {
    const zone = zoneOf(event);
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("drop-over");
  });

  document.addEventListener("drop", function (event) {
    const zone = zoneOf(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("drop-over");
    const pupil = event.dataTransfer.getData("text/plain");
    const board = document.getElementById("board");
    if (!pupil || !board) return;
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    htmx.ajax("POST", board.dataset.moveUrl, {
      source: zone,
      headers: headers,
      target: "#board",
      swap: "outerHTML",
      values: { pupil: pupil, subgroup: zone.dataset.drop },
    });
  });
})();
