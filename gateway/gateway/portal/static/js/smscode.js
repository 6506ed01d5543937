// 获取验证码: a button [data-sms-send] with data-purpose and data-mobile (the id of the mobile input) asks
// identity for a code (POST /api/v1/auth/sms-codes) and counts down before it may ask again.
(function () {
  'use strict';

  function countdown(button, seconds) {
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.disabled = true;
    var left = seconds;
    button.textContent = left + '秒后重新获取';
    var timer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(timer);
        button.disabled = false;
        button.textContent = label;
      } else {
        button.textContent = left + '秒后重新获取';
      }
    }, 1000);
  }

  document.addEventListener('click', async function (event) {
    var button = event.target.closest('[data-sms-send]');
    if (!button || button.dataset.api) return;  // buttons with data-api are sms.js's
    var mobile = document.getElementById(button.dataset.mobile);
    var note = button.parentElement.querySelector('.sms-note');
    try {
      var answer = await window.Portal.request('POST', '/api/v1/auth/sms-codes',
        { mobile: mobile.value.trim(), purpose: button.dataset.purpose });
      if (note) note.textContent = '验证码已发送，' + Math.round(answer.expires_in / 60) + '分钟内有效';
      countdown(button, answer.retry_after || 60);
    } catch (error) {
      if (note) note.textContent = error.message;
      var retry = error.details && error.details.retry_after;
      if (retry) countdown(button, retry);
    }
  });
})();
