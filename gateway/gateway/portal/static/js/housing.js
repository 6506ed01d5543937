// Line B helpers: 获取验证码 buttons (data-sms-send="<purpose>", data-mobile="#input") with the
// retry countdown identity answers; 全选 of employee check boxes across a page.
(function () {
  'use strict';

  function countdown(button, seconds) {
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.disabled = true;
    var left = seconds;
    var timer = setInterval(function () {
      left -= 1;
      button.textContent = left > 0 ? left + '秒后重新获取' : label;
      if (left <= 0) { clearInterval(timer); button.disabled = false; }
    }, 1000);
    button.textContent = left + '秒后重新获取';
  }

  document.addEventListener('click', async function (event) {
    var button = event.target.closest('[data-sms-send]');
    if (!button) return;
    var input = document.querySelector(button.dataset.mobile);
    var status = document.querySelector(button.dataset.status || '#sms-status');
    try {
      var answer = await window.Portal.request('POST', '/api/v1/auth/sms-codes',
        { mobile: input.value.trim(), purpose: button.dataset.smsSend });
      if (status) status.textContent = '验证码已发送，' + Math.round((answer.expires_in || 300) / 60) + '分钟内有效';
      countdown(button, answer.retry_after || 60);
    } catch (error) {
      if (status) status.textContent = error.message;
    }
  });
})();
