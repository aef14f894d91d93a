;;; eglot.el --- Headless Emacs: kb-hints-language-server through eglot  -*- lexical-binding: t -*-
;; emacs --batch -Q -l test/editors/eglot.el, with KB_HINTS_FILE, KB_HINTS_SERVER and KB_HINTS_OUT set:
;; opens the template in yaml-mode, connects eglot (the README's eglot-server-programs entry), waits for
;; flymake diagnostics and writes them as JSON. Run by test/editors/editors.test.js.
(require 'package)
(package-initialize)
(add-to-list 'load-path "/usr/share/emacs/site-lisp/elpa-src")
(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*")) (add-to-list 'load-path dir))
(require 'json)
(require 'eglot)
(unless (require 'yaml-mode nil t)
  (define-derived-mode yaml-mode prog-mode "YAML"))
(let* ((file (getenv "KB_HINTS_FILE"))
       (server (getenv "KB_HINTS_SERVER"))
       (out (getenv "KB_HINTS_OUT"))
       (result nil))
  (add-to-list 'eglot-server-programs `(yaml-mode . ("node" ,server "--stdio")))
  (find-file file)
  (yaml-mode)
  ;; eglot-ensure waits for the command loop, which batch mode has not: connect directly, with the
  ;; file's folder as the project.
  (let ((project-find-functions (list (lambda (dir) (cons 'transient (file-name-directory file))))))
    (apply #'eglot (eglot--guess-contact)))
  (let ((deadline (+ (float-time) 30)))
    (while (and (< (float-time) deadline) (not (flymake-diagnostics)))
      (accept-process-output nil 0.2)))
  (setq result
        (mapcar (lambda (d)
                  `((line . ,(1- (line-number-at-pos (flymake-diagnostic-beg d))))
                    (type . ,(format "%s" (flymake-diagnostic-type d)))
                    (message . ,(flymake-diagnostic-text d))))
                (flymake-diagnostics)))
  (with-temp-file out (insert (json-encode `((diagnostics . ,(vconcat result))))))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (kill-emacs 0))
