// The Audit page's "Import audit log" panel: sends the file as the request body with a progress bar
// (the dashboard reads it as it streams in, so upload progress is import progress), then shows the
// report and a link to the imported window; lists the cluster's imports.
(function () {
  'use strict';

  function text(element, value) {
    element.textContent = value;
  }

  function report(answer) {
    var parts = [answer.events + ' events read', answer.requests + ' requests counted'];
    if (answer.duplicates > 0) {
      parts.push(answer.duplicates + ' events of requests counted before (imported already)');
    }
    if (answer.rejectedEvents > 0) {
      var reasons = Object.keys(answer.rejected).map(function (reason) {
        return answer.rejected[reason] + ' × ' + reason;
      });
      parts.push(answer.rejectedEvents + ' refused: ' + reasons.join('; '));
    }
    return 'Imported as ' + answer.forms + ': ' + parts.join(' · ') + '.';
  }

  function listImports(panel, api) {
    var list = document.getElementById('import-list');
    var cluster = panel.getAttribute('data-cluster');
    if (!list || !cluster) {
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open('GET', api + encodeURIComponent(cluster) + '/audit/imports');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.onload = function () {
      if (xhr.status !== 200) {
        return;
      }
      JSON.parse(xhr.responseText).forEach(function (done) {
        var item = document.createElement('li');
        text(item, done.importedAt + ': ' + report(done));
        list.appendChild(item);
      });
    };
    xhr.send();
  }

  function setUp() {
    var panel = document.getElementById('panel-import');
    var form = document.getElementById('import-form');
    if (!panel || !form) {
      return;
    }
    var api = form.getAttribute('data-api');
    var progress = document.getElementById('import-progress');
    var status = document.getElementById('import-status');
    listImports(panel, api);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var cluster = document.getElementById('import-cluster').value.trim();
      var file = document.getElementById('import-file').files[0];
      if (!file) {
        return;
      }
      var xhr = new XMLHttpRequest();
      xhr.open('POST', api + encodeURIComponent(cluster) + '/audit/import');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      progress.hidden = false;
      progress.value = 0;
      text(status, 'Importing ' + file.name + '…');
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          progress.value = Math.floor(100 * e.loaded / e.total);
          progress.textContent = progress.value + ' %';
        }
      };
      xhr.onload = function () {
        var answer = null;
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (e) {
          answer = null;
        }
        progress.value = 100;
        if (xhr.status === 200 && answer) {
          text(status, report(answer) + ' ');
          if (answer.open) {
            var link = document.createElement('a');
            link.href = answer.open;
            link.id = 'import-open';
            text(link, 'Open its window');
            status.appendChild(link);
          }
        } else {
          status.className = 'error';
          text(status, 'Not imported (HTTP ' + xhr.status + '): ' + ((answer && answer.message) || xhr.statusText));
        }
      };
      xhr.onerror = function () {
        status.className = 'error';
        text(status, 'Not imported: the connection failed');
      };
      xhr.send(file);
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setUp);
  } else {
    setUp();
  }
}());
