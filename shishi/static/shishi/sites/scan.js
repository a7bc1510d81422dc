/* 扫码签到: the check-in page reads a ticket's QR code with the phone's rear camera (扫码) or
   from a still photo (从照片识别, for phones where live camera access fails), puts what it
   carries (the check-in address with its token, or a booking code) in the ticket field and
   sends the form, so the server's own check runs as for a typed code. jsQR (npm `jsqr`,
   served as vendor/jsqr) decodes the pixels. Progressive: without this script the scan
   buttons stay hidden and typing the code works. No inline script (CSP); images are read
   through data: URLs, which the CSP allows, not blob: URLs. */
(function () {
  "use strict";
  var box = document.getElementById("scan");
  var form = document.querySelector("[data-testid=checkin-form]");
  var field = document.getElementById("id_ticket");
  if (!box || !form || !field) return;
  var status = document.getElementById("scan-status");
  var start = document.getElementById("scan-start");
  var stop = document.getElementById("scan-stop");
  var photo = document.getElementById("scan-photo");
  var view = document.getElementById("scan-view");
  var video = view ? view.querySelector("video") : null;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var timer = null;

  function say(text, kind) {
    status.textContent = text;
    status.className = "small mt-2 text-" + (kind || "muted");
  }

  if (typeof window.jsQR !== "function") {
    say("扫码组件未能加载，请直接输入预约号。", "danger");
    box.hidden = false;
    start.disabled = true;
    photo.disabled = true;
    return;
  }
  box.hidden = false;

  // What the QR code carries: the check-in address (…/checkin/?t=TOKEN) gives its token;
  // anything else (a booking code) is sent as it is and the server says what it is.
  function ticketOf(text) {
    try {
      var token = new URL(text).searchParams.get("t");
      if (token) return token;
    } catch (error) {
      /* not an address */
    }
    return text.trim();
  }

  function send(text) {
    stopCamera();
    field.value = ticketOf(text);
    // A new ticket is looked up first: never send the previous group's headcount with it.
    var arrived = form.querySelector("[name=arrived]");
    if (arrived) arrived.disabled = true;
    say("已识别二维码，正在查验……", "success");
    box.setAttribute("data-decoded", field.value);
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  // jsQR on the pixels of `source` drawn at most `width` pixels wide.
  function decode(source, sourceWidth, sourceHeight, width, thorough) {
    var scale = Math.min(1, width / sourceWidth);
    canvas.width = Math.max(1, Math.round(sourceWidth * scale));
    canvas.height = Math.max(1, Math.round(sourceHeight * scale));
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(pixels.data, pixels.width, pixels.height, {
      inversionAttempts: thorough ? "attemptBoth" : "dontInvert",
    });
    return found && found.data ? found.data : null;
  }

  // --- Live camera ----------------------------------------------------------------------------

  function cameraProblem(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return "未获得摄像头权限。请在浏览器设置中允许本网站使用摄像头后重试，或点“从照片识别”拍照识别，也可直接输入预约号。";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError") {
      return "没有找到可用的摄像头。请点“从照片识别”，或直接输入预约号。";
    }
    if (name === "NotReadableError") {
      return "摄像头正被其他应用占用，请关闭后重试，或点“从照片识别”。";
    }
    return "无法打开摄像头（" + (name || "未知原因") + "）。请点“从照片识别”，或直接输入预约号。";
  }

  function stopCamera() {
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }
    stream = null;
    if (video) video.srcObject = null;
    view.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function scanFrame() {
    timer = null;
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth) {
      var text = decode(video, video.videoWidth, video.videoHeight, 640, false);
      if (text) {
        send(text);
        return;
      }
    }
    timer = window.setTimeout(scanFrame, 150);
  }

  start.addEventListener("click", function () {
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say("当前页面未通过安全连接（HTTPS）打开，浏览器不允许使用摄像头。请点“从照片识别”拍照识别，或直接输入预约号。", "danger");
      return;
    }
    say("正在打开摄像头……");
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (opened) {
        stream = opened;
        video.srcObject = stream;
        video.setAttribute("playsinline", "");
        video.muted = true;
        view.hidden = false;
        stop.hidden = false;
        start.hidden = true;
        say("请将电子票二维码对准取景框。");
        return video.play();
      })
      .then(function () {
        scanFrame();
      })
      .catch(function (error) {
        stopCamera();
        say(cameraProblem(error), "danger");
      });
  });

  stop.addEventListener("click", function () {
    stopCamera();
    say("已停止扫码。");
  });

  window.addEventListener("pagehide", stopCamera);

  // --- A still photo -------------------------------------------------------------------------

  photo.addEventListener("change", function () {
    var file = photo.files && photo.files[0];
    if (!file) return;
    say("正在识别照片……");
    var reader = new FileReader();
    reader.onerror = function () {
      say("无法读取这张照片，请重拍或直接输入预约号。", "danger");
    };
    reader.onload = function () {
      var image = new Image();
      image.onerror = function () {
        say("无法识别这张照片的格式，请重拍或直接输入预约号。", "danger");
      };
      image.onload = function () {
        var widths = [1024, 1600, 640];
        for (var i = 0; i < widths.length; i += 1) {
          var text = decode(image, image.naturalWidth, image.naturalHeight, widths[i], true);
          if (text) {
            send(text);
            return;
          }
        }
        say("照片中没有识别到二维码。请让二维码占满画面、对准光线后重拍，或直接输入预约号。", "danger");
      };
      image.src = reader.result;
    };
    reader.readAsDataURL(file);
    photo.value = "";
  });
})();
