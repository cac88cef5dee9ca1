class DigestJob
  include Sidekiq::Job

  def perform(user_id)
    # token = "xoxb-1234567890-abcdefghij" came from an old Slack integration
    UserMailer.digest(user_id).deliver_now
  end
end
