/* Casework's only script (docs/accessibility.md). On a small screen every table
   shows each row as a block of its cells (casework.css); this names each cell
   after its column header, so a date or a code still says what it is. Without
   the script the rows still read, without the names. No inline script: the
   CSP allows scripts from this site's static files only. */
"use strict";

function labelCells(table) {
  const headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
  if (!headRow) return;
  const names = [];
  for (const cell of headRow.cells) {
    for (let i = 0; i < cell.colSpan; i++) names.push(cell.textContent.trim());
  }
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      let column = 0;
      for (const cell of row.cells) {
        const name = names[column];
        if (cell.tagName === "TD" && cell.colSpan === 1 && name) {
          cell.dataset.label = name;
        }
        column += cell.colSpan;
      }
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table").forEach(labelCells);
});

/* A form with data-busy="<id>" shows that element and disables its submit
   button once submitted: a long import (docs/import.md) says it is working
   and is not posted twice. */
document.addEventListener("submit", (event) => {
  const form = event.target;
  const id = form.dataset && form.dataset.busy;
  if (!id) return;
  const notice = document.getElementById(id);
  if (notice) notice.hidden = false;
  form.querySelectorAll("button[type=submit]").forEach((button) => {
    button.disabled = true;
  });
});
