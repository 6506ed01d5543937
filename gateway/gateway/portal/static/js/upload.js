// Upload with progress (上传附件): choose the 附件类型, choose a file, press 上传, watch the bar, see 上传成功
// with a 预览/下载 link. Files go to POST /api/v1/attachments (multipart: file, kind); the answer's id
// becomes a hidden input named <data-name>.N, so the form sends the ids and the command links them.
// The form refuses to submit while a chosen file is not uploaded yet ("上传成功状态以后才能提交").
// XMLHttpRequest, because fetch reports no upload progress.
(function () {
  'use strict';
  var URL_ = '/api/v1/attachments';

  function size(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + ' MB' : Math.max(1, Math.round(bytes / 1024)) + ' KB';
  }

  function setState(box, state) {
    box.dataset.uploadState = state;
    var submit = box.closest('form') && box.closest('form').querySelector('[type="submit"]');
    if (submit) submit.disabled = state === 'pending' || state === 'uploading';
  }

  // hidden inputs are named list.0, list.1 ... after every change (form.js makes them an array)
  function renumber(box) {
    box.querySelectorAll('.upload-list input[type="hidden"]').forEach(function (input, i) {
      input.name = box.dataset.name + '.' + i;
    });
  }

  function kindOf(box) {
    var select = box.querySelector('[data-upload-kind]');
    if (select) return { key: select.value, label: select.options[select.selectedIndex].text };
    return { key: box.dataset.kind, label: box.dataset.kindLabel || '' };
  }

  function finished(box, item, answer, kind) {
    item.querySelector('progress').value = 100;
    item.classList.add('done');
    item.dataset.attachmentId = answer.id;
    item.querySelector('.upload-state').textContent = '上传成功';
    var link = document.createElement('a');
    link.href = URL_ + '/' + encodeURIComponent(answer.id) + (answer.upload_key ? '?key=' + answer.upload_key : '');
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = '预览/下载';
    item.appendChild(link);
    var remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'btn btn-link';
    remove.dataset.uploadRemove = '';
    remove.textContent = '删除';
    item.appendChild(remove);
    var hidden = document.createElement('input');
    hidden.type = 'hidden';
    hidden.value = answer.id;
    hidden.dataset.attachment = answer.filename;
    item.appendChild(hidden);
    renumber(box);
  }

  function start(box) {
    var input = box.querySelector('input[type="file"]');
    var file = input.files[0];
    if (!file) return;
    var kind = kindOf(box);
    var item = document.createElement('li');
    item.className = 'upload-item';
    item.innerHTML = '<span class="upload-kind"></span> <span class="upload-name"></span> <progress max="100" value="0"></progress> <span class="upload-state">上传中…</span> ';
    item.querySelector('.upload-kind').textContent = kind.label ? '【' + kind.label + '】' : '';
    item.querySelector('.upload-name').textContent = file.name + '（' + size(file.size) + '）';
    box.querySelector('.upload-list').appendChild(item);
    box.querySelector('[data-upload-start]').disabled = true;
    setState(box, 'uploading');

    var data = new FormData();
    data.append('file', file);
    data.append('kind', kind.key);
    var xhr = new XMLHttpRequest();
    // data-url: another upload endpoint with the same answer (注册新单位 before any account exists)
    xhr.open('POST', box.dataset.url || URL_);
    xhr.setRequestHeader('X-CSRF-Token', window.Portal.csrfToken());
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) item.querySelector('progress').value = Math.round(e.loaded * 100 / e.total);
    };
    xhr.onload = function () {
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
      if (xhr.status === 201 && answer) {
        finished(box, item, answer, kind);
        input.value = '';
        setState(box, 'done');
      } else {
        item.classList.add('failed');
        item.querySelector('.upload-state').textContent = '上传失败：' + ((answer && answer.error && answer.error.message) || '请重试');
        setState(box, 'error');
        box.querySelector('[data-upload-start]').disabled = false;
      }
    };
    xhr.onerror = function () {
      item.classList.add('failed');
      item.querySelector('.upload-state').textContent = '上传失败：网络错误，请重试';
      setState(box, 'error');
      box.querySelector('[data-upload-start]').disabled = false;
    };
    xhr.send(data);
  }

  document.addEventListener('change', function (event) {
    var box = event.target.closest('[data-upload]');
    if (!box || event.target.type !== 'file') return;
    var chosen = event.target.files.length > 0;
    box.querySelector('[data-upload-start]').disabled = !chosen;
    setState(box, chosen ? 'pending' : 'idle');
  });
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-upload-start]');
    if (button) start(button.closest('[data-upload]'));
    var remove = event.target.closest('[data-upload-remove]');
    if (remove) {
      var box = remove.closest('[data-upload]');
      remove.closest('li').remove();
      renumber(box);
    }
  });
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-upload]').forEach(renumber);
  });
})();
