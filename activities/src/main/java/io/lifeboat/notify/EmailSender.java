package io.lifeboat.notify;

import io.lifeboat.config.NotificationsConfig;
import io.lifeboat.config.Secrets;
import io.lifeboat.notify.Notification;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.Properties;

/** Sends one plain-text email over SMTP (Jakarta Mail, Eclipse Angus). */
final class EmailSender {
  private final NotificationsConfig.Email config;
  private final Secrets secrets;

  EmailSender(NotificationsConfig.Email config, Secrets secrets) {
    this.config = config;
    this.secrets = secrets;
  }

  void send(Notification n) throws NotificationActivitiesImpl.NotifyException {
    Properties props = new Properties();
    props.put("mail.smtp.host", config.host());
    props.put("mail.smtp.port", String.valueOf(config.port()));
    props.put("mail.smtp.connectiontimeout", "10000");
    props.put("mail.smtp.timeout", "20000");
    props.put("mail.smtp.writetimeout", "20000");
    if (config.startTls()) {
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
    }
    Authenticator auth = null;
    if (config.usernameEnv() != null) {
      String user = secrets.require(config.usernameEnv(), "SMTP user");
      String password = secrets.require(config.passwordEnv(), "SMTP password");
      props.put("mail.smtp.auth", "true");
      auth = new Authenticator() {
        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
          return new PasswordAuthentication(user, password);
        }
      };
    }
    Session session = Session.getInstance(props, auth);
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress(config.from(), true));
      for (String to : config.to()) {
        message.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
      }
      message.setSubject(Render.subject(n), "UTF-8");
      message.setText(Render.body(n), "UTF-8");
      message.setSentDate(new Date());
      message.setHeader("X-Lifeboat-Event", n.event());
      Transport.send(message);
    } catch (AddressException | SendFailedException e) {
      throw new NotificationActivitiesImpl.NotifyException("SMTP " + config.host() + ":"
          + config.port() + " refused the addresses: " + e.getMessage(), true, e);
    } catch (MessagingException e) {
      throw new NotificationActivitiesImpl.NotifyException("SMTP " + config.host() + ":"
          + config.port() + ": " + oneLine(e), false, e);
    }
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable c = e.getCause();
    if (c != null && c.getMessage() != null) m += " (" + c.getMessage() + ")";
    return m.replace('\n', ' ').strip();
  }
}
