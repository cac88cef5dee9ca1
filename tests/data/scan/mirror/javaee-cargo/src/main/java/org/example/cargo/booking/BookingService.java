package org.example.cargo.booking;

import jakarta.ejb.Schedule;
import jakarta.ejb.Stateless;
import jakarta.enterprise.context.SessionScoped;

@Stateless
public class BookingService {
    @Schedule(minute = "*/5", hour = "*", persistent = false)
    public void processUploads() {
        // reads the CSV files dropped into the upload directory
        java.nio.file.Path inbox = java.nio.file.Paths.get("/var/cargo/uploads");
    }
}
