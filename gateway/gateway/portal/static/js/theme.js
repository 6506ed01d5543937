// Colour scheme (更改配色): applied in <head> before the page paints, remembered in localStorage.
(function () {
  'use strict';
  var KEY = 'portal.theme';
  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) { /* storage blocked: default scheme */ }
  if (saved) document.documentElement.setAttribute('data-theme', saved);

  document.addEventListener('DOMContentLoaded', function () {
    var select = document.getElementById('theme-select');
    if (!select) return;
    select.value = document.documentElement.getAttribute('data-theme');
    select.addEventListener('change', function () {
      document.documentElement.setAttribute('data-theme', select.value);
      try { localStorage.setItem(KEY, select.value); } catch (e) { /* not remembered, still applied */ }
    });
  });
})();
