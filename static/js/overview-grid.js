// The group overview's grid, like a spreadsheet: Enter goes to the same column in the next
// row (Shift+Enter: a new line); up and down go to the row above or below from a cell's first
// or last line; left and right go to the next cell from the start or end of its text;
// Escape puts back what the cell held when you entered it. Cells save themselves on change
// (htmx attributes on each cell); this file only moves the focus and guards unsaved work.
(function () {
  "use strict";
  const table = document.querySelector(".overview-grid");
  if (!table) return;

  const rows = () => Array.from(table.querySelectorAll("tbody > tr[id^='row-']"));
  const cellsOf = (tr) => Array.from(tr.querySelectorAll(".grid-cell"));

  function focusCell(cell) {
    if (!cell) return false;
    cell.focus();
    if (cell.tagName === "TEXTAREA") cell.setSelectionRange(cell.value.length, cell.value.length);
    return true;
  }

  function vertical(cell, step) {
    const list = rows();
    const column = cell.dataset.col;
    for (let i = list.indexOf(cell.closest("tr")) + step; i >= 0 && i < list.length; i += step) {
      const target = list[i].querySelector('.grid-cell[data-col="' + column + '"]');
      if (target) return focusCell(target);
    }
    return false;
  }

  function horizontal(cell, step) {
    const cells = cellsOf(cell.closest("tr"));
    return focusCell(cells[cells.indexOf(cell) + step]);
  }

  table.addEventListener("focusin", function (event) {
    const cell = event.target;
    if (cell.classList.contains("grid-cell")) cell.dataset.original = cell.value;
  });

  table.addEventListener("keydown", function (event) {
    const cell = event.target;
    if (!cell.classList.contains("grid-cell") || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    const text = cell.tagName === "TEXTAREA";
    const atStart = !text || (cell.selectionStart === 0 && cell.selectionEnd === 0);
    const atEnd =
      !text || (cell.selectionStart === cell.value.length && cell.selectionEnd === cell.value.length);
    // Up and down leave the cell from its first and last line, as in a spreadsheet.
    const onFirstLine = !text || !cell.value.slice(0, cell.selectionStart).includes("\n");
    const onLastLine = !text || !cell.value.slice(cell.selectionEnd).includes("\n");
    let handled = false;
    if (event.key === "Enter" && !event.shiftKey && text) {
      handled = true;
      if (!vertical(cell, 1)) cell.blur(); // the last row: leave the cell, so it saves
    } else if (event.key === "ArrowDown" && onLastLine && !event.shiftKey) {
      handled = vertical(cell, 1);
    } else if (event.key === "ArrowUp" && onFirstLine && !event.shiftKey) {
      handled = vertical(cell, -1);
    } else if (event.key === "ArrowLeft" && atStart && !event.shiftKey) {
      handled = horizontal(cell, -1);
    } else if (event.key === "ArrowRight" && atEnd && !event.shiftKey) {
      handled = horizontal(cell, 1);
    } else if (event.key === "Escape" && text && cell.dataset.original !== undefined) {
      cell.value = cell.dataset.original;
      handled = true;
    }
    if (handled) event.preventDefault();
  });

  // Saving: a cell shows it is being saved; leaving the page while a save runs asks first.
  table.addEventListener("htmx:beforeRequest", function (event) {
    const form = event.detail.elt.getAttribute("form") || "";
    const state = document.getElementById("state-" + form.replace("rowform-", ""));
    if (state) state.textContent = "";
  });
  window.addEventListener("beforeunload", function (event) {
    if (table.querySelector(".htmx-request")) event.preventDefault();
  });
})();
