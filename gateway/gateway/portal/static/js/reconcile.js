// 到账匹配: upload a statement (multipart to /api/v1/bank-statements), follow its matching, then reload
// the report. A bad file is refused whole with the row and column named.
(function () {
  'use strict';
  async function follow(statement, line) {
    for (;;) {
      line.textContent = '匹配中：' + statement.filename + '（共' + statement.line_count + '笔）……';
      if (statement.status === 'done') break;
      await new Promise(function (r) { setTimeout(r, 700); });
      statement = await window.Portal.request('GET', '/api/v1/bank-statements/' + statement.id);
    }
    window.Portal.flashNext('匹配完成：已匹配' + statement.matched_count + '笔，原路退回' + statement.returned_count + '笔');
    window.location.reload();
  }
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('statement-form');
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      var box = document.querySelector('#reconcile .form-error');
      box.hidden = true;
      var file = document.getElementById('statement-file').files[0];
      if (!file) { box.textContent = '请选择对账单文件（.xlsx 或 .csv）'; box.hidden = false; return; }
      var data = new FormData();
      data.append('file', file);
      try {
        var statement = await window.Portal.request('POST', '/api/v1/bank-statements', data);
        await follow(statement, document.getElementById('statement-progress'));
      } catch (error) { box.textContent = error.message; box.hidden = false; }
    });
  });
})();
