// 待变更列表 (批量封存/启封): the rows ticked on every page of a list, kept in this tab's sessionStorage
// (as the portal keeps its flash message) per list and status filter, shown with 移除 and 清空; the
// batch action sends them all (actions.js asks Portal.pendingIds) and empties the list once done.
(function () {
  'use strict';
  var box = null;
  var key = '';

  function load() {
    try { return JSON.parse(sessionStorage.getItem(key) || '{}'); } catch (e) { return {}; }
  }

  function save(items) {
    try { sessionStorage.setItem(key, JSON.stringify(items)); } catch (e) { /* kept on this page only */ }
  }

  function label(check) {
    return (check.getAttribute('aria-label') || check.value).replace(/^选择\s*/, '');
  }

  function render() {
    var items = load();
    var ids = Object.keys(items);
    box.querySelector('[data-pending-count]').textContent = String(ids.length);
    var list = box.querySelector('[data-pending-items]');
    list.textContent = '';
    ids.forEach(function (id) {
      var li = document.createElement('li');
      li.dataset.id = id;
      li.appendChild(document.createTextNode(items[id] + ' '));
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'btn btn-link';
      remove.dataset.pendingRemove = id;
      remove.textContent = '移除';
      li.appendChild(remove);
      list.appendChild(li);
    });
    box.querySelector('[data-pending-empty]').hidden = ids.length > 0;
    document.querySelectorAll('input[name="ids"]').forEach(function (check) { check.checked = !!items[check.value]; });
  }

  document.addEventListener('DOMContentLoaded', function () {
    box = document.getElementById('pending-list');
    if (!box) return;
    key = 'portal.pending.' + box.dataset.pendingKey;
    render();
  });

  document.addEventListener('change', function (event) {
    if (!box) return;
    var target = event.target;
    var checks = target.matches('[data-check-all]') ? target.closest('table').querySelectorAll('input[name="ids"]')
      : target.matches('input[name="ids"]') ? [target] : [];
    if (!checks.length) return;
    var items = load();
    Array.prototype.forEach.call(checks, function (check) {
      if (check.checked) items[check.value] = label(check); else delete items[check.value];
    });
    save(items);
    render();
  });

  document.addEventListener('click', function (event) {
    if (!box) return;
    var remove = event.target.closest('[data-pending-remove]');
    if (remove) {
      var items = load();
      delete items[remove.dataset.pendingRemove];
      save(items);
      render();
    } else if (event.target.closest('[data-pending-clear]')) {
      save({});
      render();
    }
  });

  window.Portal = window.Portal || {};
  // the kept ids, or null on a page without a kept list (the ticked rows of the page count then)
  window.Portal.pendingIds = function () { return box ? Object.keys(load()) : null; };
  window.Portal.clearPending = function () { if (box) save({}); };
  // what the list's fields add to the batch action's body (生效月份, 原因), the empty ones left out
  window.Portal.pendingFields = function () {
    var out = {};
    if (box) {
      box.querySelectorAll('[data-pending-field]').forEach(function (input) {
        if (input.value.trim()) out[input.dataset.pendingField] = input.value.trim();
      });
    }
    return out;
  };
})();
