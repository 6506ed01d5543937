// Registration pages: 【同意】 on the 用户须知 reveals the form; the unit chooser of 个人注册 searches the
// approved units by name (GET /api/v1/public/units?q=).
(function () {
  'use strict';

  document.addEventListener('click', function (event) {
    var agree = event.target.closest('[data-terms-agree]');
    if (!agree) return;
    var terms = agree.closest('[data-terms]');
    terms.hidden = true;
    document.querySelectorAll('[data-after-terms]').forEach(function (form) {
      form.hidden = false;
      var first = form.querySelector('input:not([type="hidden"]), select');
      if (first) first.focus();
    });
  });

  var timer = null;
  async function search(input) {
    var select = document.getElementById(input.dataset.unitSearch);
    var q = input.value.trim();
    var page = await window.Portal.request('GET', '/api/v1/public/units?page_size=50&q=' + encodeURIComponent(q));
    select.innerHTML = '';
    var placeholder = document.createElement('option');
    placeholder.value = '';
    placeholder.textContent = page.items.length ? '请选择所在单位（共' + page.total + '个）' : '未找到匹配的单位';
    select.appendChild(placeholder);
    page.items.forEach(function (unit) {
      var option = document.createElement('option');
      option.value = unit.id;
      option.textContent = unit.name + '（' + (unit.region_name || unit.region) + '）';
      select.appendChild(option);
    });
    if (page.items.length === 1) select.value = page.items[0].id;
  }
  document.addEventListener('input', function (event) {
    var input = event.target.closest('[data-unit-search]');
    if (!input) return;
    clearTimeout(timer);
    timer = setTimeout(function () { search(input).catch(function () {}); }, 250);
  });
})();
