// List conveniences: tick all rows of the page, change the page size at once, print, go back.
(function () {
  'use strict';
  document.addEventListener('change', function (event) {
    var target = event.target;
    if (target.matches('[data-check-all]')) {
      var table = target.closest('table');
      table.querySelectorAll('input[name="ids"]').forEach(function (box) { box.checked = target.checked; });
    } else if (target.matches('[data-autosubmit]')) {
      target.form.submit();
    }
  });
  document.addEventListener('click', function (event) {
    if (event.target.closest('[data-print]')) window.print();
    if (event.target.closest('[data-back]')) window.history.back();
  });
})();
