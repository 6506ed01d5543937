// Calls to the REST API from portal pages. The session cookie authenticates; every call carries the
// CSRF token of the page, so the page never holds an access token.
(function () {
  'use strict';

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : '';
  }

  function ApiError(status, error) {
    this.name = 'ApiError';
    this.status = status;
    this.code = error.code || 'error';
    this.message = error.message || '请求失败，请稍后重试';
    this.details = error.details || {};
    this.fields = this.details.fields || {};
  }
  ApiError.prototype = Object.create(Error.prototype);

  async function request(method, url, body) {
    var headers = { 'Accept': 'application/json', 'X-CSRF-Token': csrfToken() };
    var payload;
    if (body instanceof FormData) {
      payload = body;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    var response;
    try {
      response = await fetch(url, { method: method, headers: headers, body: payload, credentials: 'same-origin' });
    } catch (e) {
      throw new ApiError(0, { code: 'network', message: '网络连接失败，请检查网络后重试' });
    }
    var data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (response.status === 401 && !url.startsWith('/api/v1/auth/')) {
      // the session ended (idle timeout, logout elsewhere): the page itself sends the user to login
      window.location.reload();
      throw new ApiError(401, (data && data.error) || { message: '登录已失效，请重新登录' });
    }
    if (!response.ok) {
      throw new ApiError(response.status, (data && data.error) || { message: '请求失败（' + response.status + '）' });
    }
    return data;
  }

  function toast(message, kind) {
    var box = document.getElementById('toast');
    if (!box) return;
    box.textContent = message;
    box.className = 'toast toast-' + (kind || 'info');
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, 4000);
  }

  // A message to show after the page reloads or navigates (the result of the action just taken).
  function flashNext(message) {
    try { sessionStorage.setItem('portal.flash', message); } catch (e) { /* shown nowhere: harmless */ }
  }

  function clearErrors(form) {
    form.querySelectorAll('.field-error[data-client]').forEach(function (el) { el.remove(); });
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (el) {
      el.removeAttribute('aria-invalid');
      el.classList.remove('invalid');
    });
    var box = form.querySelector('.form-error');
    if (box) { box.hidden = true; box.textContent = ''; }
  }

  // The API's error next to the field that caused it ({"details": {"fields": {name: message}}});
  // what belongs to no field of the form goes to the form's error box.
  function showErrors(form, error) {
    clearErrors(form);
    var unplaced = [];
    Object.keys(error.fields || {}).forEach(function (name) {
      var input = form.querySelector('[name="' + name.replace(/"/g, '') + '"]');
      if (!input) { unplaced.push(error.fields[name]); return; }
      input.setAttribute('aria-invalid', 'true');
      input.classList.add('invalid');
      var note = document.createElement('p');
      note.className = 'field-error';
      note.dataset.client = '';
      note.id = 'err-' + name.replace(/[^A-Za-z0-9_-]/g, '-');
      note.textContent = error.fields[name];
      input.setAttribute('aria-describedby', note.id);
      input.insertAdjacentElement('afterend', note);
    });
    var box = form.querySelector('.form-error');
    if (box) {
      var placed = Object.keys(error.fields || {}).length - unplaced.length;
      box.textContent = [placed ? '输入信息有误，请检查标红的项目' : error.message].concat(unplaced).join('；');
      box.hidden = false;
    }
    var first = form.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
  }

  document.addEventListener('DOMContentLoaded', function () {
    var message = null;
    try {
      message = sessionStorage.getItem('portal.flash');
      sessionStorage.removeItem('portal.flash');
    } catch (e) { /* nothing to show */ }
    if (message) toast(message, 'success');
  });

  window.Portal = { request: request, ApiError: ApiError, toast: toast, flashNext: flashNext,
                    showErrors: showErrors, clearErrors: clearErrors, csrfToken: csrfToken };
})();
