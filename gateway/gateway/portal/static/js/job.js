// Progress of a background job (一键审核通过): polls GET /api/v1/jobs/{id} until it is done, then
// shows each item's outcome. The page reloads when the clerk closes the dialog.
(function () {
  'use strict';
  var STATUS = { ok: '成功', succeeded: '成功', failed: '失败', pending: '等待中', running: '处理中' };

  function render(job) {
    var progress = document.getElementById('job-progress');
    progress.max = job.total || 1;
    progress.value = job.done || 0;
    document.getElementById('job-text').textContent = '已处理 ' + (job.done || 0) + ' / ' + job.total +
      '（成功 ' + (job.succeeded || 0) + '，失败 ' + (job.failed || 0) + '）' + (job.status === 'done' ? '，已完成' : '');
    if (!job.items) return;
    var table = document.getElementById('job-items');
    var body = table.querySelector('tbody');
    body.textContent = '';
    job.items.forEach(function (item) {
      var outcome = item.outcome || {};
      var row = body.insertRow();
      [String(item.seq + 1), outcome.application_no || (item.payload && (item.payload.label || item.payload.application_id || '')) || '',
       STATUS[item.status] || item.status, outcome.message || (outcome.status ? '已上报' : '')]
        .forEach(function (text) { row.insertCell().textContent = text; });
    });
    table.hidden = false;
  }

  function followJob(job) {
    var dialog = document.getElementById('job-dialog');
    var close = document.getElementById('job-close');
    close.disabled = true;
    close.onclick = function () {
      dialog.close();
      window.Portal.flashNext('批量办理已完成');
      window.location.reload();
    };
    render(job);
    dialog.showModal();
    var poll = async function () {
      try {
        job = await window.Portal.request('GET', '/api/v1/jobs/' + encodeURIComponent(job.id));
        render(job);
      } catch (error) {
        document.getElementById('job-text').textContent = error.message || '查询进度失败';
      }
      if (job.status === 'done') { close.disabled = false; close.focus(); } else { setTimeout(poll, 500); }
    };
    setTimeout(poll, 300);
  }

  window.Portal = window.Portal || {};
  window.Portal.followJob = followJob;
})();
