// Action buttons of lists and detail pages (审核通过, 退回修改, 上报, 开始公示, ...). A button names its
// REST command in data-act; data-opinion opens the opinion dialog (审核意见, "required" for a return),
// data-confirm asks first, data-batch sends the ticked rows' ids, data-job follows the job it starts;
// data-opinion-field names the body key of the typed text (default opinion, e.g. reason).
// An officer's saved opinions (常用意见) are offered above the opinion box: those of the dialog's kind
// (data-opinion-kind, else "return" for a required opinion and "approve" for an optional one) and the
// general ones; picking one fills the box, which stays editable.
(function () {
  'use strict';
  var dialog, form, pending;
  var templates = {};   // kind -> the promise of the officer's templates for it (asked once per page)

  function templatesFor(kind) {
    if (!templates[kind]) {
      templates[kind] = window.Portal.request('GET', '/api/v1/me/opinion-templates?kind=' + encodeURIComponent(kind))
        .then(function (answer) { return answer.items || []; }, function () { delete templates[kind]; return []; });
    }
    return templates[kind];
  }

  // The picker of the open dialog: hidden when the opinion is no review opinion (a reason) or none is saved.
  async function offerTemplates(spec) {
    var picker = document.getElementById('opinion-template-picker');
    var select = document.getElementById('opinion-template');
    if (!picker || !select) return;
    picker.hidden = true;
    select.length = 1;
    select.value = '';
    if (!spec.opinion || (spec.opinionField && spec.opinionField !== 'opinion')) return;
    var kind = spec.opinionKind || (spec.opinion === 'required' ? 'return' : 'approve');
    var items = await templatesFor(kind);
    if (!pending || pending.spec !== spec) return;   // another dialog opened meanwhile
    items.forEach(function (t) {
      var option = document.createElement('option');
      option.value = t.text;
      option.textContent = t.text.length > 40 ? t.text.slice(0, 40) + '…' : t.text;
      option.title = t.text;
      select.appendChild(option);
    });
    picker.hidden = items.length === 0;
  }

  function tickedIds() {
    var kept = window.Portal.pendingIds && window.Portal.pendingIds();  // 待变更列表 across pages
    if (kept) return kept;
    return Array.prototype.map.call(document.querySelectorAll('input[name="ids"]:checked'),
                                    function (box) { return box.value; });
  }

  function done(spec, result) {
    if (spec.batch && window.Portal.clearPending) window.Portal.clearPending();
    if (spec.job !== undefined && result && result.id) {
      window.Portal.followJob(result);
      return;
    }
    window.Portal.flashNext(spec.title + '：办理成功');
    if (spec.next) window.location.href = spec.next; else window.location.reload();
  }

  // The dialog stays open on an error, showing it next to the opinion, so nothing typed is lost.
  function ask(spec, send) {
    var opinion = form.querySelector('#opinion');
    var required = spec.opinion === 'required';
    document.getElementById('action-dialog-title').textContent = spec.title;
    document.getElementById('action-dialog-message').textContent = spec.confirm || '';
    document.getElementById('opinion-field').hidden = !spec.opinion;
    document.getElementById('opinion-required').hidden = !required;
    document.getElementById('opinion-label').textContent = spec.opinionLabel || '审核意见';
    opinion.required = required;
    opinion.value = '';
    window.Portal.clearErrors(form);
    pending = { spec: spec, send: send };
    offerTemplates(spec);
    dialog.showModal();
    (spec.opinion ? opinion : document.getElementById('action-submit')).focus();
  }

  async function submitDialog(event) {
    event.preventDefault();
    if (!pending) return;
    var opinion = form.querySelector('#opinion').value.trim();
    if (pending.spec.opinion === 'required' && !opinion) {
      var label = pending.spec.opinionLabel || '审核意见';
      window.Portal.showErrors(form, new window.Portal.ApiError(400, {
        message: '请填写' + label, details: { fields: { opinion: '请填写' + label } } }));
      return;
    }
    var button = document.getElementById('action-submit');
    button.disabled = true;
    try {
      var result = await pending.send(pending.spec.opinion ? opinion : undefined);
      dialog.close();
      done(pending.spec, result);
    } catch (error) {
      if (!(error instanceof window.Portal.ApiError)) throw error;
      window.Portal.showErrors(form, error);
    } finally {
      button.disabled = false;
    }
  }

  async function act(button) {
    var spec = button.dataset;
    var body = spec.body ? JSON.parse(spec.body) : {};
    if (spec.batch) {
      var ids = tickedIds();
      if (!ids.length && spec.allWhenNone === undefined) {
        window.Portal.toast('请先勾选要办理的记录', 'warning');
        return;
      }
      if (ids.length) body[spec.batch] = ids;
      if (window.Portal.pendingFields) Object.assign(body, window.Portal.pendingFields());
    }
    var send = function (opinion) {
      var payload = Object.assign({}, body);
      if (opinion !== undefined && opinion !== '') payload[spec.opinionField || 'opinion'] = opinion;
      return window.Portal.request('POST', spec.act, payload);
    };
    if (spec.opinion || spec.confirm) { ask(spec, send); return; }
    button.disabled = true;
    try {
      done(spec, await send());
    } catch (error) {
      if (!(error instanceof window.Portal.ApiError)) throw error;
      window.Portal.toast(error.message, 'error');
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    dialog = document.getElementById('action-dialog');
    if (!dialog) return;
    form = document.getElementById('action-form');
    form.addEventListener('submit', submitDialog);
    document.getElementById('action-cancel').addEventListener('click', function () { dialog.close(); });
    var picker = document.getElementById('opinion-template');
    if (picker) {
      picker.addEventListener('change', function () {
        if (!picker.value) return;
        var box = form.querySelector('#opinion');
        box.value = picker.value;
        box.focus();
      });
    }
    document.addEventListener('click', function (event) {
      var button = event.target.closest('[data-act]');
      if (button) { event.preventDefault(); act(button); }
    });
  });
})();
