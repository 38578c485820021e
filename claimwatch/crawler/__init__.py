"""The Scrapy side: settings, the spider that refetches sources, main-text extraction,
the pipelines that hand results to storage, and ``run_crawl`` to run one crawl from Python."""
