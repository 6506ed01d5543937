// Line B employee pages: the pending list of 批量封存/启封 and 职工转出 (employees picked page by page,
// kept in sessionStorage until submitted), and 职工批量导入 (multipart upload, per-row errors).
(function () {
  'use strict';

  function pendingKey(box) { return 'pending.' + box.dataset.picker; }
  function load(box) {
    try { return JSON.parse(sessionStorage.getItem(pendingKey(box)) || '[]'); } catch (e) { return []; }
  }
  function save(box, list) { sessionStorage.setItem(pendingKey(box), JSON.stringify(list)); }

  function render(box) {
    var list = load(box);
    var body = box.querySelector('#pending-table tbody');
    body.innerHTML = '';
    list.forEach(function (p) {
      var row = document.createElement('tr');
      ['name', 'idNumber', 'status'].forEach(function (k) {
        var cell = document.createElement('td');
        cell.textContent = p[k];
        row.appendChild(cell);
      });
      var cell = document.createElement('td');
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'btn';
      remove.textContent = '移除';
      remove.addEventListener('click', function () {
        save(box, load(box).filter(function (q) { return q.id !== p.id; }));
        render(box);
      });
      cell.appendChild(remove);
      row.appendChild(cell);
      body.appendChild(row);
    });
    box.querySelector('#pending-count').textContent = list.length ? '待变更列表共' + list.length + '人' : '待变更列表为空';
  }

  function addTicked(box) {
    var list = load(box);
    var known = {};
    list.forEach(function (p) { known[p.id] = true; });
    var added = 0;
    box.querySelectorAll('input[data-pick]:checked').forEach(function (input) {
      if (!known[input.value]) {
        list.push({ id: input.value, name: input.dataset.name, idNumber: input.dataset.idNumber,
                    status: input.dataset.status });
        known[input.value] = true;
        added += 1;
      }
      input.checked = false;
    });
    save(box, list);
    render(box);
    window.Portal.toast(added ? '已放入待变更列表' + added + '人' : '请先勾选员工', added ? 'info' : 'warning');
  }

  async function submitPending(box) {
    var list = load(box);
    var error = box.querySelector('.form-error');
    error.hidden = true;
    if (!list.length) { window.Portal.toast('待变更列表为空，请先选择员工', 'warning'); return; }
    var ids = list.map(function (p) { return p.id; });
    var reason = box.querySelector('#picker-reason').value.trim() || null;
    var url, body, next;
    if (box.dataset.picker === 'sealing') {
      var action = box.querySelector('#seal-action').value;
      url = '/api/v1/employees/bulk-' + action;
      body = { employee_ids: ids, reason: reason, effective_month: box.querySelector('#seal-month').value.trim() || null };
      next = '/portal/employees';
    } else {
      url = '/api/v1/transfers';
      body = { employee_ids: ids, to_employer_id: box.querySelector('#transfer-to').value, reason: reason };
      next = '/portal/transfers?direction=out';
    }
    try {
      var answer = await window.Portal.request('POST', url, body);
      save(box, []);
      window.Portal.flashNext('已提交' + (answer.count || ids.length) + '人');
      window.location.href = next;
    } catch (e) {
      if (!(e instanceof window.Portal.ApiError)) throw e;
      error.textContent = e.message;
      error.hidden = false;
    }
  }

  function attachments(form) {
    var refs = [];
    form.querySelectorAll('input[data-attachment]').forEach(function (input) {
      refs.push({ id: input.value, filename: input.dataset.attachment, kind: 'other' });
    });
    return refs;
  }

  async function importFile(form) {
    var file = form.querySelector('#import-file').files[0];
    var result = form.querySelector('#import-result');
    var table = form.querySelector('#import-errors');
    table.hidden = true;
    if (!file) { window.Portal.toast('请选择填写好的模版', 'warning'); return; }
    var data = new FormData();
    data.append('file', file);
    data.append('attachments', JSON.stringify(attachments(form)));
    var button = form.querySelector('#import-submit');
    button.disabled = true;
    result.hidden = false;
    result.textContent = '正在校验并导入，请稍候…';
    try {
      var answer = await window.Portal.request('POST', '/api/v1/employees/import', data);
      result.textContent = answer.repeated ? '该文件已导入过，未重复导入（' + answer.imported + '人）'
                                           : '导入成功：共' + answer.rows + '行，导入' + answer.imported + '名职工';
      result.className = 'notice notice-success';
    } catch (e) {
      if (!(e instanceof window.Portal.ApiError)) throw e;
      result.textContent = e.message;
      result.className = 'notice notice-warning';
      var rows = (e.details && e.details.errors) || [];
      var body = table.querySelector('tbody');
      body.innerHTML = '';
      rows.forEach(function (r) {
        var tr = document.createElement('tr');
        [r.row, r.column || r.field || '', r.message].forEach(function (v) {
          var td = document.createElement('td');
          td.textContent = v;
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      table.hidden = rows.length === 0;
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    var box = document.querySelector('[data-picker]');
    if (box) {
      render(box);
      box.querySelector('[data-pick-add]').addEventListener('click', function () { addTicked(box); });
      box.querySelector('[data-pick-submit]').addEventListener('click', function () { submitPending(box); });
      box.querySelector('[data-pick-clear]').addEventListener('click', function () { save(box, []); render(box); });
      var all = box.querySelector('[data-pick-all]');
      if (all) all.addEventListener('change', function () {
        box.querySelectorAll('input[data-pick]').forEach(function (i) { i.checked = all.checked; });
      });
    }
    var form = document.querySelector('[data-import-form]');
    if (form) form.addEventListener('submit', function (event) { event.preventDefault(); importFile(form); });
  });
})();
