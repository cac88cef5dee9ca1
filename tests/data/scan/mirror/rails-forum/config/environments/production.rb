Rails.application.configure do
  config.log_level = :info
  config.logger = ActiveSupport::Logger.new(STDOUT) if ENV["RAILS_LOG_TO_STDOUT"].present?
  config.active_storage.service = :amazon
  config.cache_store = :redis_cache_store, { url: ENV["REDIS_URL"] }
  config.session_store :cookie_store, key: "_forum_session"
end
