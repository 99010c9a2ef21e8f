// The check-in page's camera: the back camera in a <video>, a frame looked at several times a second, each QR
// code read handed to `onCode`. The browser's own BarcodeDetector where it reads QR codes; elsewhere the vendored
// zxing-wasm, loaded only when the camera is first started (its script and .wasm addresses come from the page).
"use strict";

window.CheckInCamera = (() => {
  const INTERVAL = 150; // ms between two looks at the video: about 6 a second
  const MAX_WIDTH = 800; // frames are scaled down to this before decoding: faster, and enough for a ticket

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = () => reject(new Error("decoder"));
      document.head.append(script);
    });
  }

  async function nativeReader() {
    if (!("BarcodeDetector" in window)) return null;
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (!formats.includes("qr_code")) return null;
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return async (canvas) => (await detector.detect(canvas)).map((found) => found.rawValue);
    } catch {
      return null;
    }
  }

  let vendored = null;
  function vendoredReader(decoderUrl, wasmUrl) {
    if (!vendored) {
      vendored = (async () => {
        if (!window.ZXingWASM) await loadScript(decoderUrl);
        // Never the library's default (a CDN): our own copy of the .wasm, through the page's static URL.
        await window.ZXingWASM.prepareZXingModule({
          overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasmUrl : prefix + path) },
          fireImmediately: true,
        });
        const options = { formats: ["QRCode"], maxNumberOfSymbols: 1, tryHarder: true };
        return async (canvas) => {
          const context = canvas.getContext("2d", { willReadFrequently: true });
          const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
          const found = await window.ZXingWASM.readBarcodes(pixels, options);
          return found.filter((one) => one.isValid && one.text).map((one) => one.text);
        };
      })();
      vendored.catch(() => { vendored = null; });
    }
    return vendored;
  }

  async function reader(decoderUrl, wasmUrl) {
    return (await nativeReader()) || vendoredReader(decoderUrl, wasmUrl);
  }

  // Starts the camera in `video`; resolves to a function that stops it. Rejects with
  // {kind: "unavailable" | "denied" | "decoder"}.
  async function start(video, { decoderUrl, wasmUrl, onCode }) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw { kind: "unavailable" };
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      throw { kind: error && error.name === "NotAllowedError" ? "denied" : "unavailable" };
    }
    let read;
    try {
      read = await reader(decoderUrl, wasmUrl);
    } catch {
      for (const track of stream.getTracks()) track.stop();
      throw { kind: "decoder" };
    }
    video.srcObject = stream;
    await video.play().catch(() => {});
    const canvas = document.createElement("canvas");
    let running = true;
    let timer = null;
    const look = async () => {
      if (!running) return;
      if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
        const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        canvas.getContext("2d", { willReadFrequently: true }).drawImage(video, 0, 0, canvas.width, canvas.height);
        try {
          for (const text of await read(canvas)) onCode(text);
        } catch {
          // A frame the decoder could not handle: the next one will do.
        }
      }
      if (running) timer = setTimeout(look, INTERVAL);
    };
    look();
    return () => {
      running = false;
      clearTimeout(timer);
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    };
  }

  // A short beep and buzz when a code is read: no sound file, and nothing if the browser has no WebAudio.
  let audio = null;
  function unlockSound() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) audio = new Context(); // created on a click: browsers allow sound only after one
  }
  function signal() {
    if (navigator.vibrate) navigator.vibrate(80);
    if (!audio) return;
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 880;
    volume.gain.value = 0.1;
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.12);
  }

  return { start, signal, unlockSound };
})();
