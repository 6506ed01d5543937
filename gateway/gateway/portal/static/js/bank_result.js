// 导入银行回盘: upload the bank's result file (multipart to /api/v1/county-transfers/{id}/bank-results)
// and show what each line did; a refused file is shown whole, nothing imported.
(function () {
  'use strict';
  var OUTCOMES = { paid: '支付成功', failed: '支付失败', unchanged: '未变更', rejected: '未处理' };
  function show(answer) {
    var counts = (answer.repeated ? '该文件已导入过，本次未作任何变更。' : '导入完成：') +
      '支付成功' + answer.paid + '笔，支付失败' + answer.failed + '笔，未变更' + answer.unchanged +
      '笔，有误未处理' + answer.rejected + '笔。';
    document.getElementById('bank-result-counts').textContent = counts;
    var body = document.getElementById('bank-result-lines');
    body.textContent = '';
    answer.lines.forEach(function (line) {
      var tr = document.createElement('tr');
      tr.className = 'outcome-' + line.outcome;
      [line.row || '', line.line_key || '', OUTCOMES[line.outcome] || line.outcome, line.message || '']
        .forEach(function (text) { var td = document.createElement('td'); td.textContent = text; tr.appendChild(td); });
      body.appendChild(tr);
    });
    document.getElementById('bank-result-summary').hidden = false;
  }
  document.addEventListener('DOMContentLoaded', function () {
    var section = document.getElementById('bank-result');
    var form = document.getElementById('bank-result-form');
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      var box = section.querySelector('.form-error');
      box.hidden = true;
      var file = document.getElementById('bank-result-file').files[0];
      if (!file) { box.textContent = '请选择银行回盘文件（.xlsx）'; box.hidden = false; return; }
      var data = new FormData();
      data.append('file', file);
      try {
        show(await window.Portal.request('POST', '/api/v1/county-transfers/' + section.dataset.transfer +
                                         '/bank-results', data));
      } catch (error) { box.textContent = error.message; box.hidden = false; }
    });
  });
})();
