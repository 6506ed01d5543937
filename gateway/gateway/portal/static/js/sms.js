// 获取验证码 buttons ([data-sms-send] with data-api; data-mobile names the mobile input, data-purpose the
// code's purpose): one request, then a countdown until another may be asked for (the API's retry_after,
// also after a 429), so the button cannot be hammered.
(function () {
  'use strict';

  function countdown(button, seconds) {
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.disabled = true;
    var left = Math.max(1, seconds | 0);
    button.textContent = left + '秒后重新获取';
    clearInterval(button._timer);
    button._timer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(button._timer);
        button.disabled = false;
        button.textContent = label;
      } else {
        button.textContent = left + '秒后重新获取';
      }
    }, 1000);
  }

  async function send(button) {
    var form = button.closest('form');
    var body = {};
    if (button.dataset.mobile) body.mobile = form.querySelector('[name="' + button.dataset.mobile + '"]').value.trim();
    if (button.dataset.purpose) body.purpose = button.dataset.purpose;
    if (form) window.Portal.clearErrors(form);
    button.disabled = true;
    try {
      var answer = await window.Portal.request('POST', button.dataset.api, body);
      window.Portal.toast('验证码已发送' + (answer.mobile ? '至 ' + answer.mobile : '') + '，' +
                          Math.round((answer.expires_in || 300) / 60) + '分钟内有效', 'success');
      countdown(button, answer.retry_after || 60);
    } catch (error) {
      if (!(error instanceof window.Portal.ApiError)) throw error;
      button.disabled = false;
      if (error.status === 429 && error.details.retry_after) countdown(button, error.details.retry_after);
      if (form) window.Portal.showErrors(form, error); else window.Portal.toast(error.message, 'error');
    }
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-sms-send]');
    // buttons without data-api are smscode.js's (POST /auth/sms-codes); both scripts are on every page
    if (!button || button.disabled || !button.dataset.api) return;
    event.preventDefault();
    send(button);
  });
})();

// The login page's tabs (账号密码登录 / 短信验证码登录): [data-tab] shows its panel, hides the others.
(function () {
  'use strict';
  document.addEventListener('click', function (event) {
    var tab = event.target.closest('[role="tab"][data-tab]');
    if (!tab) return;
    tab.parentElement.querySelectorAll('[role="tab"][data-tab]').forEach(function (other) {
      var active = other === tab;
      other.classList.toggle('active', active);
      other.setAttribute('aria-selected', active ? 'true' : 'false');
      document.getElementById(other.dataset.tab).hidden = !active;
    });
    var first = document.getElementById(tab.dataset.tab).querySelector('input:not([type="hidden"])');
    if (first) first.focus();
  });
})();
