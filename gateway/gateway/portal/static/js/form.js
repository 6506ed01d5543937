// Forms that send JSON to the API (form.api-form with data-api, data-method, data-next): the page does
// not reload on an error, so what was typed stays; errors appear next to their fields.
(function () {
  'use strict';

  // "12.5" yuan -> 1250 fen without floating point (1.1 * 100 is 110.00000000000001)
  function yuanToFen(text) {
    var match = /^\s*(\d+)(?:\.(\d{0,2}))?\s*$/.exec(text);
    if (!match) return text; // sent as typed: the API answers with a message next to the field
    return parseInt(match[1], 10) * 100 + parseInt(((match[2] || '') + '00').slice(0, 2), 10);
  }

  function value(input) {
    if (input.type === 'checkbox') return input.checked;
    var text = input.value.trim();
    if (input.dataset.type === 'int') return /^-?\d+$/.test(text) ? parseInt(text, 10) : text;
    if (input.dataset.type === 'fen') return yuanToFen(text);
    return text;
  }

  // Set body["a"]["0"]["b"] for the name "a.0.b", numbers making arrays.
  function put(body, name, val) {
    var parts = name.split('.');
    var node = body;
    parts.forEach(function (part, i) {
      var last = i === parts.length - 1;
      if (last) { node[part] = val; return; }
      if (node[part] === undefined) node[part] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      node = node[part];
    });
  }

  function collect(form) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || input.name === 'csrf_token' || input.disabled || input.type === 'file') return;
      if (input.dataset.path !== undefined) return;  // part of the URL, not the body (apiPath)
      var val = value(input);
      if (val === '' && input.dataset.optional !== undefined) return;
      if (val === '' && input.dataset.nullIfEmpty !== undefined) val = null;
      put(body, input.name, val);
    });
    return body;
  }

  // Rows of a repeated group (工作经历) are named list.N.field, renumbered after every change.
  function renumber(group) {
    var list = group.dataset.repeat;
    group.querySelectorAll('.repeat-rows .repeat-row').forEach(function (row, i) {
      row.querySelectorAll('[data-name]').forEach(function (input) {
        input.name = list + '.' + i + '.' + input.dataset.name;
      });
    });
  }

  function uploadsBusy(form) {
    return form.querySelector('[data-upload-state="pending"], [data-upload-state="uploading"]') !== null;
  }

  // An input marked data-path fills the {name} placeholder of data-api (PUT /calendar-days/{day}).
  function apiPath(form) {
    return form.dataset.api.replace(/\{(\w+)\}/g, function (_, key) {
      var input = form.querySelector('[data-path][name="' + key + '"]');
      return encodeURIComponent(input ? input.value.trim() : '');
    });
  }

  function fill(template, data) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return encodeURIComponent(data && data[key] !== undefined && data[key] !== null ? data[key] : '');
    });
  }

  async function submit(event) {
    var form = event.target;
    if (!form.matches('form.api-form')) return;
    event.preventDefault();
    window.Portal.clearErrors(form);
    if (uploadsBusy(form)) {
      window.Portal.showErrors(form, new window.Portal.ApiError(400, { message: '请先完成附件上传（显示“上传成功”后再提交）' }));
      return;
    }
    var button = form.querySelector('[type="submit"]');
    if (button) button.disabled = true;
    try {
      var data = await window.Portal.request(form.dataset.method || 'POST', apiPath(form), collect(form));
      window.Portal.flashNext(form.dataset.success || '提交成功');
      window.location.href = fill(form.dataset.next || window.location.pathname, data);
    } catch (error) {
      if (!(error instanceof window.Portal.ApiError)) throw error;
      window.Portal.showErrors(form, error);
    } finally {
      if (button) button.disabled = false;
    }
  }

  document.addEventListener('submit', submit);
  document.addEventListener('click', function (event) {
    var add = event.target.closest('[data-repeat-add]');
    var remove = event.target.closest('[data-repeat-remove]');
    var group = (add || remove) && (add || remove).closest('[data-repeat]');
    if (!group) return;
    if (add) {
      var row = group.querySelector('template').content.firstElementChild.cloneNode(true);
      group.querySelector('.repeat-rows').appendChild(row);
      row.querySelector('input').focus();
    } else {
      remove.closest('.repeat-row').remove();
    }
    renumber(group);
  });
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-repeat]').forEach(renumber);
  });

  window.Portal = window.Portal || {};
  window.Portal.collect = collect;
})();
