# gunicorn settings for dsar behind nginx (see systemd/dsar-web.service).
bind = "127.0.0.1:8000"
workers = 3
timeout = 60  # letter PDFs render in well under a second; a stuck worker is recycled
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
# Access logs carry paths only; dsar puts no personal data in URLs (tracking tokens excepted,
# which is why the log format below omits the query string and the tracking path is POST-only).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
