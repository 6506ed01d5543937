// 新增汇缴申请: load the roster for the month, tick people (the total follows), 指定汇缴 amounts,
// 补缴 months and 全部应用第一页信息, search with highlight, submit to /api/v1/remittances.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var roster = [];

  function fen(text) {  // "1234.565" -> 123457 (HALF_UP on the line, as the service does)
    var m = /^\s*(\d+)(?:\.(\d*))?\s*$/.exec(text || '');
    if (!m) return null;
    var decimals = ((m[2] || '') + '000').slice(0, 3);
    var value = parseInt(m[1], 10) * 100 + parseInt(decimals.slice(0, 2), 10);
    return parseInt(decimals[2], 10) >= 5 ? value + 1 : value;
  }
  function yuan(f) { return (f / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function mode() { return $('remit-mode').value; }
  function kind() { return mode() === 'back_pay' ? $('remit-kind').value : null; }
  function monthsCount() {
    if (kind() !== 'monthly') return 1;
    var a = $('remit-from').value, b = $('remit-to').value;
    if (!/^\d{6}$/.test(a) || !/^\d{6}$/.test(b)) return 1;
    var n = (parseInt(b.slice(0, 4), 10) * 12 + parseInt(b.slice(4), 10)) -
            (parseInt(a.slice(0, 4), 10) * 12 + parseInt(a.slice(4), 10)) + 1;
    return n > 0 ? n : 1;
  }
  function showFields() {
    document.querySelectorAll('#remit [data-for]').forEach(function (el) {
      var f = el.dataset.for;
      el.hidden = !(f === mode() || (f === 'monthly' && kind() === 'monthly'));
    });
  }
  function lines() {
    return Array.prototype.filter.call(document.querySelectorAll('#remit-roster tbody tr'), function (tr) {
      return tr.querySelector('input[type=checkbox]').checked;
    });
  }
  function total() {
    var sum = 0;
    lines().forEach(function (tr) {
      var typed = tr.querySelector('input.amount').value.trim();
      var f = typed ? fen(typed) : parseInt(tr.dataset.amount, 10);
      sum += f || 0;
    });
    var months = monthsCount();
    $('remit-count').textContent = lines().length;
    $('remit-total').textContent = yuan(sum * (($('remit-apply-first').checked && kind() === 'monthly') ? months : 1));
    $('remit-months-hint').textContent = kind() === 'monthly' ? '（' + months + '个月）' : '';
  }
  function escape(s) { return String(s == null ? '' : s).replace(/[&<>"]/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function render() {
    var body = $('remit-roster').querySelector('tbody');
    body.innerHTML = roster.map(function (p) {
      return '<tr data-id="' + p.employee_id + '" data-amount="' + p.amount_fen + '">' +
        '<td><input type="checkbox" aria-label="选择' + escape(p.name) + '"' + (p.held ? ' disabled' : ' checked') + '></td>' +
        '<td class="name">' + escape(p.name) + '</td><td class="idno">' + escape(p.id_number) + '</td>' +
        '<td>' + yuan(p.amount_fen) + (p.overridden ? '（指定）' : '') + '</td>' +
        '<td><input class="amount" inputmode="decimal" size="10" aria-label="指定汇缴金额' + escape(p.name) + '"></td>' +
        '<td>' + (p.held ? '已在未完成的汇缴申请中' : (p.has_history ? '' : '本单位暂无汇缴记录')) + '</td></tr>';
    }).join('');
    $('remit-roster-box').hidden = false;
    total();
  }
  function highlight() {
    var q = $('remit-search').value.trim();
    document.querySelectorAll('#remit-roster tbody tr').forEach(function (tr) {
      ['name', 'idno'].forEach(function (cls) {
        var cell = tr.querySelector('.' + cls);
        var text = cell.textContent;
        var i = q ? text.indexOf(q) : -1;
        cell.innerHTML = i < 0 ? escape(text) :
          escape(text.slice(0, i)) + '<mark>' + escape(q) + '</mark>' + escape(text.slice(i + q.length));
      });
      var hit = tr.querySelector('mark');
      tr.classList.toggle('search-hit', !!hit);
    });
    var first = document.querySelector('#remit-roster mark');
    if (first) first.scrollIntoView({ block: 'center' });
  }
  async function query() {
    var box = document.querySelector('#remit .form-error');
    box.hidden = true;
    var month = mode() === 'remit' ? $('remit-month').value.trim() : $('remit-from').value.trim();
    try {
      var answer = await window.Portal.request('GET', '/api/v1/remittances/roster?month=' +
        encodeURIComponent(month) + '&mode=' + mode());
      roster = answer.items;
      render();
    } catch (error) { box.textContent = error.message; box.hidden = false; }
  }
  // 修改后重新提交: the returned remittance's month, mode, people and amounts, ready to correct
  function returned() {
    var raw = $('remit').dataset.resubmit;
    return raw ? JSON.parse(raw) : null;
  }
  async function prefill(r) {
    $('remit-mode').value = r.mode;
    if (r.back_pay_kind) $('remit-kind').value = r.back_pay_kind;
    $('remit-month').value = r.month_from; $('remit-from').value = r.month_from; $('remit-to').value = r.month_to;
    showFields();
    await query();
    var first = {};
    r.lines.forEach(function (l) { if (l.month === r.month_from) first[l.employee_id] = l; });
    document.querySelectorAll('#remit-roster tbody tr').forEach(function (tr) {
      var line = first[tr.dataset.id];
      var box = tr.querySelector('input[type=checkbox]');
      if (!box.disabled) box.checked = !!line;
      if (line && (line.overridden || r.back_pay_kind === 'lump_sum')) {
        tr.querySelector('input.amount').value = (line.amount_fen / 100).toFixed(2);
      }
    });
    $('remit-apply-first').checked = r.month_from !== r.month_to;
    total();
  }
  async function submit() {
    var box = document.querySelector('#remit .form-error');
    box.hidden = true;
    var body = { mode: mode(), lines: lines().map(function (tr) {
      var typed = tr.querySelector('input.amount').value.trim();
      var line = { employee_id: tr.dataset.id };
      if (typed) { line.amount = typed; line.override = mode() === 'remit'; }
      return line;
    }) };
    if (mode() === 'remit') body.month = $('remit-month').value.trim();
    else if (kind() === 'lump_sum') { body.back_pay_kind = 'lump_sum'; body.month = $('remit-from').value.trim(); }
    else { body.back_pay_kind = 'monthly'; body.month_from = $('remit-from').value.trim();
           body.month_to = $('remit-to').value.trim(); body.apply_first_page = $('remit-apply-first').checked; }
    $('remit-submit').disabled = true;
    var again = returned();
    try {
      await window.Portal.request('POST', again ? '/api/v1/remittances/' + encodeURIComponent(again.id) +
        '/resubmit' : '/api/v1/remittances', body);
      window.Portal.flashNext(again ? '汇缴申请已重新提交，等待住建局审核' : '汇缴申请已提交，等待住建局审核');
      window.location.href = '/portal/remittances';
    } catch (error) {
      box.textContent = error.message; box.hidden = false; $('remit-submit').disabled = false;
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    var now = new Date();
    $('remit-month').value = now.getFullYear() + ('0' + (now.getMonth() + 1)).slice(-2);
    $('remit-mode').addEventListener('change', showFields);
    $('remit-kind').addEventListener('change', function () { showFields(); total(); });
    ['remit-from', 'remit-to'].forEach(function (id) { $(id).addEventListener('input', total); });
    $('remit-apply-first').addEventListener('change', total);
    $('remit-query').addEventListener('click', query);
    $('remit-submit').addEventListener('click', submit);
    $('remit-search').addEventListener('input', highlight);
    $('remit-all').addEventListener('change', function () {
      document.querySelectorAll('#remit-roster tbody input[type=checkbox]:not([disabled])').forEach(function (c) {
        c.checked = $('remit-all').checked; });
      total();
    });
    $('remit-roster').addEventListener('input', total);
    $('remit-roster').addEventListener('change', total);
    showFields();
    if (returned()) prefill(returned());
  });
})();
