// 便签: a small notes panel, kept in this browser's localStorage, one note per user account.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var toggle = document.getElementById('notes-toggle');
    var panel = document.getElementById('notes-panel');
    if (!toggle || !panel) return;
    var key = 'portal.notes.' + (document.body.dataset.user || 'anonymous');
    var text = document.getElementById('notes-text');
    var state = document.getElementById('notes-state');
    try { text.value = localStorage.getItem(key) || ''; } catch (e) { state.textContent = '本浏览器不允许保存便签'; }
    toggle.addEventListener('click', function () {
      panel.hidden = !panel.hidden;
      toggle.setAttribute('aria-expanded', String(!panel.hidden));
      if (!panel.hidden) text.focus();
    });
    var timer = null;
    text.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        try { localStorage.setItem(key, text.value); state.textContent = '已保存'; } catch (e) { state.textContent = '保存失败'; }
      }, 300);
    });
  });
})();
