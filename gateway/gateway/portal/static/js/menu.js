// Side menu: collapsible (侧边导航伸缩, remembered), the current page marked, and the function search
// box (功能搜索) that jumps to the menu item whose name matches.
(function () {
  'use strict';
  var KEY = 'portal.menu';

  function links() { return Array.prototype.slice.call(document.querySelectorAll('[data-menu-item]')); }

  function setCollapsed(collapsed) {
    document.body.classList.toggle('menu-collapsed', collapsed);
    var toggle = document.getElementById('menu-toggle');
    if (toggle) toggle.setAttribute('aria-expanded', String(!collapsed));
  }

  function markCurrent() {
    var here = window.location.pathname + window.location.search;
    var current = links().find(function (a) { return a.getAttribute('href') === here; }) ||
                  links().find(function (a) { return a.getAttribute('href').split('?')[0] === window.location.pathname; });
    if (current) current.setAttribute('aria-current', 'page');
  }

  function jump(text) {
    var wanted = text.trim();
    if (!wanted) return false;
    var found = links().find(function (a) { return a.textContent.trim() === wanted; }) ||
                links().find(function (a) { return a.textContent.indexOf(wanted) >= 0; });
    if (found) { window.location.href = found.getAttribute('href'); return true; }
    window.Portal.toast('没有找到“' + wanted + '”相关的功能', 'warning');
    return false;
  }

  document.addEventListener('DOMContentLoaded', function () {
    var toggle = document.getElementById('menu-toggle');
    if (!toggle) return;
    var saved = null;
    try { saved = localStorage.getItem(KEY); } catch (e) { saved = null; }
    // narrow screens always start with the menu folded away, so the content has the whole width
    var narrow = window.matchMedia('(max-width: 768px)').matches;
    setCollapsed(narrow || saved === 'collapsed');
    toggle.addEventListener('click', function () {
      var collapsed = !document.body.classList.contains('menu-collapsed');
      setCollapsed(collapsed);
      try { localStorage.setItem(KEY, collapsed ? 'collapsed' : 'open'); } catch (e) { /* not remembered */ }
    });
    markCurrent();
    var search = document.getElementById('func-search');
    document.getElementById('func-search-form').addEventListener('submit', function (event) {
      event.preventDefault();
      jump(search.value);
    });
    // choosing a suggestion of the list jumps at once
    search.addEventListener('change', function () { jump(search.value); });
  });
})();
