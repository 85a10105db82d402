/* global document, window -- this script runs in the report page, not in Node */
// Sorts the functions table when a column header is clicked. The page works without it: the table is already in
// rank order. Cells carry their sort key in data-sort; numeric columns sort empty keys (unknown) last either way.
(function () {
  'use strict';
  function compareKeys(a, b, numeric) {
    if (a === b) return 0;
    if (a === '') return 1;
    if (b === '') return -1;
    if (numeric) return Number(a) - Number(b);
    return a < b ? -1 : 1;
  }
  function key(row, index) {
    var cell = row.cells[index];
    return cell ? cell.getAttribute('data-sort') || '' : '';
  }
  function sortBy(table, index, numeric, direction) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var a = key(r1, index);
      var b = key(r2, index);
      if (a === '' || b === '') return compareKeys(a, b, numeric);
      var order = compareKeys(a, b, numeric) * direction;
      return order !== 0 ? order : Number(r1.getAttribute('data-rank')) - Number(r2.getAttribute('data-rank'));
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table[data-sortable]'), function (table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(headers, function (other) {
          other.removeAttribute('aria-sort');
        });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        sortBy(table, index, th.getAttribute('data-type') === 'number', ascending ? 1 : -1);
      });
    });
    table.setAttribute('data-sort-ready', 'true');
  });

  // Folded sections (a merged review): a link to a function opens its fold, and printing opens every fold so the
  // paper has all of it; afterwards the folds a reader had closed close again.
  function openTarget() {
    var el = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    for (; el; el = el.parentElement) if (el.tagName === 'DETAILS') el.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
  var reopened = [];
  window.addEventListener('beforeprint', function () {
    reopened = Array.prototype.filter.call(document.querySelectorAll('details'), function (d) {
      return !d.open;
    });
    reopened.forEach(function (d) {
      d.open = true;
    });
  });
  window.addEventListener('afterprint', function () {
    reopened.forEach(function (d) {
      d.open = false;
    });
    reopened = [];
  });
})();
