// The measurement grid takes a whole series at once.
//
// - "Add rows" adds blank rows in place (without this script the button asks the
//   server, which sends the grid back with the rows as typed and more blank ones).
// - A column pasted from a spreadsheet fills the rows from the one pasted into,
//   and adds rows as needed: values only, or the date and the value(s) per line.
// - A changed date re-dates the blank rows below it, one period after another,
//   unless that date is in the future: a mistaken date is never carried on.
//
// The numbers are put in as typed: the server reads them (lib/numbers.py), so
// "12,5", "12.5" and "1 234,5" mean the same here as in every form.
(function () {
  "use strict";
  const form = document.querySelector("form[data-grid]");
  if (!form) {
    return;
  }
  const table = form.querySelector("table.measurement-grid");
  const body = table.tBodies[0];
  const template = form.querySelector("template[data-empty-row]");
  const total = form.querySelector("input[name$='-TOTAL_FORMS']");
  const maximum = parseInt(form.querySelector("input[name$='-MAX_NUM_FORMS']").value, 10);
  const weekly = table.dataset.period === "week";
  const today = periodStart(parseIso(table.dataset.today));
  const ADDED_ROWS = 6;

  function parseIso(text) {
    const match = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec((text || "").trim());
    return match ? checkedDate(+match[1], +match[2], match[3] ? +match[3] : 1) : null;
  }

  // A date as a spreadsheet copies it: 2026-09-01, 2026-09, 01.09.2026, 1.9.26, 01/09/2026.
  function parseDate(text) {
    const iso = parseIso(text);
    if (iso) {
      return iso;
    }
    const match = /^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$/.exec((text || "").trim());
    if (!match) {
      return null;
    }
    const year = match[3].length === 2 ? 2000 + +match[3] : +match[3];
    return checkedDate(year, +match[2], +match[1]);
  }

  function checkedDate(year, month, day) {
    const date = new Date(Date.UTC(year, month - 1, day));
    const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1;
    return real && date.getUTCDate() === day ? date : null;
  }

  function iso(date) {
    return date.toISOString().slice(0, 10);
  }

  function periodStart(date) {
    if (!date) {
      return null;
    }
    if (weekly) {
      const back = (date.getUTCDay() + 6) % 7; // days since Monday
      return new Date(date.getTime() - back * 86400000);
    }
    return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
  }

  function nextPeriod(date) {
    if (weekly) {
      return new Date(date.getTime() + 7 * 86400000);
    }
    return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
  }

  function rows() {
    return Array.from(body.querySelectorAll("tr[data-row]"));
  }

  function dateInput(row) {
    return row.querySelector("input[data-column='period_start']");
  }

  function numberInputs(row) {
    return Array.from(row.querySelectorAll("input[inputmode='decimal']"));
  }

  // A row with no numbers typed and no saved point behind it.
  function isBlank(row) {
    const original = row.querySelector("input[name$='-original']");
    return (!original || !original.value) && numberInputs(row).every((input) => !input.value.trim());
  }

  function rowDate(row) {
    return periodStart(parseIso(dateInput(row).value));
  }

  function addRow(date) {
    const index = parseInt(total.value, 10);
    if (index >= maximum) {
      return null;
    }
    const html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__row__/g, String(index + 1));
    body.insertAdjacentHTML("beforeend", html.trim());
    total.value = String(index + 1);
    const row = body.lastElementChild;
    if (date) {
      dateInput(row).value = iso(date);
    }
    return row;
  }

  // The date new rows continue from: the latest date in the grid that is not in
  // the future (a mistaken date is not carried on), or the current period.
  function lastSaneDate() {
    let latest = null;
    for (const row of rows()) {
      const date = rowDate(row);
      if (date && date <= today && (!latest || date > latest)) {
        latest = date;
      }
    }
    return latest || today;
  }

  function addRows(count) {
    const taken = new Set(rows().map((row) => dateInput(row).value));
    let date = lastSaneDate();
    let first = null;
    for (let added = 0; added < count; ) {
      date = nextPeriod(date);
      if (taken.has(iso(date))) {
        continue;
      }
      const row = addRow(date);
      if (!row) {
        break;
      }
      first = first || row;
      added += 1;
    }
    return first;
  }

  function redateBelow(row) {
    let date = rowDate(row);
    if (!date || date > today) {
      return;
    }
    const all = rows();
    for (const below of all.slice(all.indexOf(row) + 1)) {
      if (!isBlank(below)) {
        break;
      }
      date = nextPeriod(date);
      dateInput(below).value = iso(date);
    }
  }

  function pastedLines(text) {
    const lines = text.replace(/\r\n?/g, "\n").split("\n").map((line) => line.split("\t"));
    while (lines.length && lines[lines.length - 1].every((cell) => !cell.trim())) {
      lines.pop();
    }
    // A heading line ("Dato", "Verdi") has no digit in it.
    if (lines.length > 1 && !/\d/.test(lines[0].join(""))) {
      lines.shift();
    }
    return lines;
  }

  function paste(event) {
    const target = event.target;
    const text = (event.clipboardData || window.clipboardData).getData("text");
    if (!target.matches("input[data-column]") || !/[\n\t]/.test(text.trim())) {
      return; // one value: the browser pastes it as usual
    }
    const lines = pastedLines(text);
    if (!lines.length) {
      return;
    }
    event.preventDefault();
    const dated = lines.every((cells) => cells.length > 1 && parseDate(cells[0]));
    let row = target.closest("tr");
    const columns = numberInputs(row).map((input) => input.dataset.column);
    const from = columns.indexOf(target.dataset.column);
    const targetColumns = from >= 0 ? columns.slice(from) : columns;
    let previous = null;
    lines.forEach((cells, index) => {
      if (index > 0) {
        row = row.nextElementSibling || addRow(previous ? nextPeriod(previous) : null);
        if (!row) {
          return;
        }
      }
      if (dated) {
        dateInput(row).value = iso(parseDate(cells[0]));
        cells = cells.slice(1);
      } else if (index > 0 && previous && isBlank(row)) {
        dateInput(row).value = iso(nextPeriod(previous));
      }
      const inputs = numberInputs(row);
      targetColumns.forEach((column, position) => {
        const input = inputs.find((candidate) => candidate.dataset.column === column);
        if (input && position < cells.length) {
          input.value = cells[position].trim();
        }
      });
      previous = rowDate(row) || (previous && nextPeriod(previous));
    });
    row && row.querySelector("input[inputmode='decimal']")?.focus();
  }

  body.addEventListener("paste", paste);
  body.addEventListener("change", (event) => {
    if (event.target.matches("input[data-column='period_start']")) {
      redateBelow(event.target.closest("tr"));
    }
  });
  const button = form.querySelector("[data-add-rows]");
  if (button) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const first = addRows(ADDED_ROWS);
      if (first) {
        dateInput(first).focus();
      }
    });
  }
})();
