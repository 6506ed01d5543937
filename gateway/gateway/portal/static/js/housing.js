// Line B pages: 职工批量导入 / 迁移导入 (multipart upload, per-row errors), 职工信息初始化 (保存 one row),
// 新增职工转出 (ticked employees to the chosen employer).
(function () {
  'use strict';

  function fen(text) {
    var match = /^\s*(\d+)(?:\.(\d{0,2}))?\s*$/.exec(text);
    if (!match) return text;
    return parseInt(match[1], 10) * 100 + parseInt(((match[2] || '') + '00').slice(0, 2), 10);
  }

  function attachmentIds(form) {
    return Array.prototype.map.call(form.querySelectorAll('.upload-list input[type="hidden"]'),
                                    function (input) { return input.value; });
  }

  async function importFile(form) {
    var file = form.querySelector('input[type="file"]#import-file').files[0];
    var result = document.getElementById('import-result');
    var errors = document.getElementById('import-errors');
    errors.hidden = true;
    errors.querySelector('tbody').innerHTML = '';
    if (!file) { result.hidden = false; result.textContent = '请选择要上传的导入文件（.xlsx）'; return; }
    var data = new FormData();
    data.append('file', file);
    data.append('attachments', JSON.stringify(attachmentIds(form)));
    result.hidden = false;
    result.textContent = '正在导入，请稍候…';
    form.querySelector('[type="submit"]').disabled = true;
    try {
      var answer = await window.Portal.request('POST', form.dataset.importApi, data);
      result.className = 'notice notice-success';
      if (answer.job && !answer.repeated) {
        // 职工批量导入: every row checked; the rows are imported by a job whose progress the dialog shows
        result.textContent = '校验通过：共' + answer.rows + '行，正在导入…';
        window.Portal.followJob(answer.job);
        return;
      }
      result.textContent = answer.repeated ? '该文件已导入过，本次未做任何修改。' :
        '导入成功：' + (answer.imported !== undefined ? '职工' + answer.imported + '人' :
                        '新建单位' + answer.employers_created + '个，导入职工' + answer.employees_imported + '人');
    } catch (error) {
      if (!(error instanceof window.Portal.ApiError)) throw error;
      result.className = 'notice notice-error';
      result.textContent = error.message;
      (error.details.errors || []).forEach(function (e) {
        var row = document.createElement('tr');
        [e.sheet || '', '第' + e.row + '行', e.message].forEach(function (text) {
          var cell = document.createElement('td');
          cell.textContent = text;
          row.appendChild(cell);
        });
        errors.querySelector('tbody').appendChild(row);
      });
      errors.hidden = !(error.details.errors || []).length;
    } finally {
      form.querySelector('[type="submit"]').disabled = false;
    }
  }

  async function saveRow(button) {
    var row = button.closest('tr');
    var body = {};
    row.querySelectorAll('[data-field]').forEach(function (input) {
      var value = input.value.trim();
      if (input.dataset.type === 'fen') value = fen(value);
      if (input.dataset.type === 'int') value = /^\d+$/.test(value) ? parseInt(value, 10) : value;
      body[input.dataset.field] = value;
    });
    try {
      await window.Portal.request('POST', button.dataset.rowSave, body);
      row.querySelector('.checked').textContent = '是';
      window.Portal.toast('已保存', 'success');
    } catch (error) {
      if (!(error instanceof window.Portal.ApiError)) throw error;
      window.Portal.toast(error.message, 'error');
    }
  }

  async function transfer(form) {
    var ids = Array.prototype.map.call(form.querySelectorAll('input[name="ids"]:checked'), function (c) { return c.value; });
    window.Portal.clearErrors(form);
    try {
      await window.Portal.request('POST', form.dataset.transferApi, {
        employee_ids: ids, to_employer_id: form.querySelector('[name="to_employer_id"]').value,
        reason: form.querySelector('[name="reason"]').value || null, attachments: attachmentIds(form) });
      window.Portal.flashNext('已提交转出，等待转入单位审阅');
      window.location.href = '/portal/transfers?direction=out';
    } catch (error) {
      if (!(error instanceof window.Portal.ApiError)) throw error;
      window.Portal.showErrors(form, error);
    }
  }

  document.addEventListener('submit', function (event) {
    if (event.target.matches('[data-import-api]')) { event.preventDefault(); importFile(event.target); }
    if (event.target.matches('[data-transfer-api]')) { event.preventDefault(); transfer(event.target); }
  });
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-row-save]');
    if (button) saveRow(button);
  });
})();
